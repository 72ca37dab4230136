package io.mconv.cli.options;

import io.mconv.agent.runtime.Tolerance;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** Options of commands that prove their result in ONNX Runtime before writing it. */
public final class ValidationOptions {

    @Option(names = "--no-validate", description = "Do not run source and result in ONNX Runtime to compare them.")
    boolean noValidate;

    @Option(names = "--atol", paramLabel = "X", description = "Absolute tolerance for validation (default: per "
            + "precision, fp32 1e-5).")
    Double atol;

    @Option(names = "--rtol", paramLabel = "X", description = "Relative tolerance for validation (default: per "
            + "precision, fp32 1e-4).")
    Double rtol;

    public boolean validate() {
        return !noValidate;
    }

    /** The tolerance asked for, or null for the per-precision presets. */
    public Tolerance tolerance(CommandLine commandLine) {
        if ((atol != null && !(atol >= 0)) || (rtol != null && !(rtol >= 0))) {
            throw new CommandLine.ParameterException(commandLine, "--atol and --rtol must be 0 or more");
        }
        if (atol == null && rtol == null) {
            return null;
        }
        return Tolerance.of(atol == null ? Tolerance.FP32.atol() : atol, rtol == null ? Tolerance.FP32.rtol() : rtol);
    }
}
