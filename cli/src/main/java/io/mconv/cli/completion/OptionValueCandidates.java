package io.mconv.cli.completion;

import io.mconv.agent.check.CheckTarget;
import io.mconv.agent.runtime.ort.ExecutionProvider;
import io.mconv.passes.Pass;
import io.mconv.passes.PassRegistry;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The values offered for option arguments that are plain strings in the commands ({@code -O none|basic|aggressive},
 * {@code --mode}, {@code --target}, ...): kept here, in one table, so completion does not need the command classes
 * to change, and read from the libraries where a list exists (providers, check targets, passes). CompletionTest
 * checks that every entry still names an option of its command.
 */
public final class OptionValueCandidates {

    private final Map<String, Map<String, Supplier<List<String>>>> byCommand = new LinkedHashMap<>();

    private OptionValueCandidates() {
    }

    public static OptionValueCandidates standard() {
        OptionValueCandidates c = new OptionValueCandidates();
        Supplier<List<String>> providers = () -> Arrays.stream(ExecutionProvider.values())
                .map(ExecutionProvider::userName).toList();
        Supplier<List<String>> passes = () -> PassRegistry.standard().all().stream().map(Pass::name).toList();
        c.add("convert", "--to", () -> List.of("onnx"));
        c.add("convert", "--optimize", () -> List.of("none", "basic", "aggressive"));
        c.add("convert", "--quantize", () -> Arrays.stream(io.mconv.agent.pipeline.QuantizeChoice.values())
                .map(Object::toString).toList());
        c.add("convert", "--target", () -> List.of("cpu", "gpu", "ort", "portable"));
        c.add("optimize", "--optimize", () -> List.of("none", "basic", "aggressive"));
        c.add("optimize", "--target", () -> List.of("portable", "ort"));
        c.add("optimize", "--passes", passes);
        c.add("optimize", "--disable", passes);
        c.add("quantize", "--mode", () -> List.of("dynamic", "static", "weight-only", "fp16"));
        c.add("quantize", "--format", () -> List.of("qoperator", "qdq"));
        c.add("quantize", "--weight-type", () -> List.of("int8", "uint8", "int4"));
        c.add("quantize", "--precision", () -> List.of("8bit", "16bit", "32bit"));
        c.add("quantize", "--target", () -> List.of("ort", "portable"));
        c.add("check", "--target", () -> Arrays.stream(CheckTarget.values()).map(CheckTarget::userName).toList());
        c.add("profile", "--provider", providers);
        c.add("validate", "--provider", providers);
        return c;
    }

    private void add(String command, String option, Supplier<List<String>> values) {
        byCommand.computeIfAbsent(command, k -> new LinkedHashMap<>()).put(option, values);
    }

    /** command -> option names with candidates, for the test that keeps this table honest. */
    public Map<String, List<String>> optionsByCommand() {
        Map<String, List<String>> m = new LinkedHashMap<>();
        byCommand.forEach((command, options) -> m.put(command, List.copyOf(options.keySet())));
        return m;
    }

    /**
     * Gives the listed options of this command line their candidates, where picocli's completion script and the
     * shell's completer read them. The options are rebuilt (picocli's specs are immutable), so this is for
     * command lines that complete, not for those that run.
     */
    public void applyTo(CommandLine root) {
        root.getSubcommands().forEach((name, sub) -> {
            Map<String, Supplier<List<String>>> options = byCommand.get(name);
            if (options != null) {
                options.forEach((option, values) -> replace(sub.getCommandSpec(), option, values.get()));
            }
        });
    }

    private static void replace(CommandSpec command, String name, List<String> values) {
        OptionSpec original = command.findOption(name);
        // options inside argument groups are left alone: removing one from its group is not supported by picocli
        if (original == null || original.group() != null) {
            return;
        }
        command.remove(original);
        command.addOption(OptionSpec.builder(original).completionCandidates(values).build());
    }
}
