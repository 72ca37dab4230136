package io.mconv.cli;

import io.mconv.agent.InvalidOptionException;
import io.mconv.agent.runtime.RuntimeCrashedException;
import io.mconv.agent.validation.ValidationFailedException;
import io.mconv.cli.config.ConfigDefaults;
import io.mconv.cli.render.Paint;
import io.mconv.ir.InvalidGraphException;
import io.mconv.onnx.io.InvalidModelException;
import io.mconv.onnx.io.OutputPathException;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine;

/**
 * The one place where failures become output and exit codes: a single line on standard error naming the file
 * and the cause, and the documented code for the kind of failure. Stack traces only with {@code --verbose}.
 */
final class ErrorReporter implements CommandLine.IExecutionExceptionHandler, CommandLine.IParameterExceptionHandler {

    private final ConfigDefaults configDefaults;

    ErrorReporter(ConfigDefaults configDefaults) {
        this.configDefaults = configDefaults;
    }

    @Override
    public int handleExecutionException(Exception ex, CommandLine cmd, CommandLine.ParseResult parseResult) {
        PrintWriter err = cmd.getErr();
        Paint paint = MconvCommand.terminal(cmd.getCommandSpec(), hasMatched(parseResult, "--json")).err();
        int code = exitCodeFor(ex);
        String message = ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage();
        if (ex instanceof RuntimeCrashedException) {
            // A native runtime died or hung in its worker: internal (exit 4), but the message already says what
            // happened and where (runtime, signal, crash report); the exception's class name would add nothing.
            err.println("mconv: " + paint.apply(Paint.Style.RED, "error:") + " " + message);
        } else if (code == ExitCodes.INTERNAL) {
            err.println("mconv: " + paint.apply(Paint.Style.RED, "internal error:") + " "
                    + ex.getClass().getSimpleName() + ": " + message
                    + (isVerbose(parseResult) ? "" : " (run with --verbose for the stack trace)"));
        } else {
            err.println("mconv: " + paint.apply(Paint.Style.RED, "error:") + " " + message);
            Throwable cause = ex instanceof io.mconv.agent.pipeline.StepFailedException step ? step.getCause() : ex;
            if (cause instanceof io.mconv.torch.export.UnsupportedOpsException u) {
                u.ops().forEach(op -> err.println("  " + op.describe()));
                err.println("  (mconv convert MODEL --list-ops shows every operator and its coverage)");
            }
        }
        if (isVerbose(parseResult)) {
            ex.printStackTrace(err);
        }
        err.flush();
        return code;
    }

    @Override
    public int handleParseException(CommandLine.ParameterException ex, String[] args) {
        CommandLine cmd = ex.getCommandLine();
        PrintWriter err = cmd.getErr();
        Paint paint = MconvCommand.terminal(cmd.getCommandSpec(), List.of(args).contains("--json")).err();
        String cause = configDefaults.causeOf(ex).map(e -> " (the value comes from " + e.where() + ")").orElse("");
        err.println("mconv: " + paint.apply(Paint.Style.RED, "usage error:") + " " + ex.getMessage() + cause);
        err.println("Run '" + cmd.getCommandSpec().qualifiedName() + " --help' for usage.");
        err.flush();
        return ExitCodes.USAGE;
    }

    static int exitCodeFor(Throwable ex) {
        if (ex instanceof io.mconv.agent.pipeline.StepFailedException step) {
            return exitCodeFor(step.getCause()); // the step's type is in the message; the code is the cause's
        }
        // Any problem with an input file is invalid input, NotTorchScriptException (a state_dict or pickled module
        // where TorchScript is needed) included; only output-path problems are usage errors.
        if (ex instanceof InvalidModelException || ex instanceof InvalidGraphException
                || ex instanceof io.mconv.onnx.io.FileProblemException && !(ex instanceof OutputPathException)
                || ex instanceof io.mconv.torch.export.UnsupportedOpsException
                || ex instanceof io.mconv.torch.export.ExportException) {
            return ExitCodes.INVALID_INPUT;
        }
        if (ex instanceof OutputPathException || ex instanceof UsageException || ex instanceof InvalidOptionException) {
            return ExitCodes.USAGE;
        }
        if (ex instanceof CheckFailedException || ex instanceof ValidationFailedException) {
            return ExitCodes.CHECK_FAILED;
        }
        return ExitCodes.INTERNAL;
    }

    private static boolean isVerbose(CommandLine.ParseResult parseResult) {
        return hasMatched(parseResult, "--verbose");
    }

    private static boolean hasMatched(CommandLine.ParseResult parseResult, String option) {
        for (CommandLine.ParseResult r = parseResult; r != null; r = r.subcommand()) {
            if (r.hasMatchedOption(option)) {
                return true;
            }
        }
        return false;
    }
}
