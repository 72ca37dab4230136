package io.mconv.agent.bench;

import io.mconv.agent.model.IrModelFile;
import io.mconv.agent.model.ModelLoader;
import io.mconv.agent.model.ModelSaver;
import io.mconv.agent.runtime.ModelRunner;
import io.mconv.agent.runtime.ort.GraphOptimizationLevel;
import io.mconv.agent.runtime.ort.OrtModelRunner;
import io.mconv.agent.runtime.ort.OrtSessionConfig;
import io.mconv.agent.validation.RandomInputs;
import io.mconv.ir.Model;
import io.mconv.ir.Tensor;
import io.mconv.ir.serde.ModelCopier;
import io.mconv.onnx.io.WriteOptions;
import io.mconv.passes.OptimizationLevel;
import io.mconv.passes.PassContext;
import io.mconv.passes.PassManager;
import io.mconv.passes.PassRegistry;
import io.mconv.passes.Target;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Benchmark (not a unit test; run by bench/optimize-latency.sh): ORT CPU median latency of each model in five
 * set-ups measured in the same run — the original with ORT's optimizations off, at BASIC and at ALL; mconv
 * {@code -O aggressive} with ORT off; mconv {@code -O aggressive --target ort} at ALL — and the two ratios the
 * issue sets as goals, each with a 95% bootstrap interval, next to an A/A control (a second session of the original
 * at BASIC against the first) that shows what this machine can resolve. See {@link InterleavedTiming}. Arguments:
 * model files; system properties {@code runs} (50), {@code warmup} (10), {@code perRound} (2) and {@code disable}
 * (passes to leave out).
 */
public final class OptimizeLatencyBench {

    private OptimizeLatencyBench() {
    }

    public static void main(String[] args) throws Exception {
        int runs = Integer.getInteger("runs", 50);
        int warmup = Integer.getInteger("warmup", 10);
        int perRound = Integer.getInteger("perRound", 2);
        System.out.printf(Locale.ROOT, "ORT CPU median latency, %d runs after %d warm-up, in rounds of %d per set-up "
                + "(order rotated, first run after a switch untimed), ms%n", runs, warmup, perRound);
        System.out.printf(Locale.ROOT, "%-16s %9s %9s %9s %11s %11s   %-30s %-30s %-24s%n", "model", "orig/off",
                "orig/basic", "orig/all", "mconv/off", "mconv-ort/all", "goal1 mconv/off <= basic [95%]",
                "goal2 ort/all <= all [95%]", "A/A basic/basic [95%]");
        boolean allMet = true;
        for (String arg : args) {
            Path file = Path.of(arg);
            try (IrModelFile loaded = new ModelLoader().load(file)) {
                // Written to files and opened from them, as a user runs what mconv wrote and as the original is
                // opened: ORT places a model's weights differently when it gets the model as bytes.
                Path portable = optimizedFile(loaded.model(), Target.PORTABLE);
                Path ort = optimizedFile(loaded.model(), Target.ORT);
                List<Supplier<ModelRunner>> setups = List.of(
                        () -> OrtModelRunner.open(file, config(GraphOptimizationLevel.NONE)),
                        () -> OrtModelRunner.open(file, config(GraphOptimizationLevel.BASIC)),
                        () -> OrtModelRunner.open(file, config(GraphOptimizationLevel.ALL)),
                        () -> OrtModelRunner.open(portable, config(GraphOptimizationLevel.NONE)),
                        () -> OrtModelRunner.open(ort, config(GraphOptimizationLevel.ALL)),
                        // The A/A control: a second session of the original at BASIC, timed like the others. Its
                        // ratio to the first is 1 but for noise, which is the resolution of the other two ratios.
                        () -> OrtModelRunner.open(file, config(GraphOptimizationLevel.BASIC)));
                Map<String, Tensor> feeds;
                try (ModelRunner probe = setups.get(0).get()) {
                    feeds = new RandomInputs(0).generate(probe.inputs(), shapes(probe));
                }
                InterleavedTiming.Result r = InterleavedTiming.measure(setups, feeds, runs, perRound, warmup);
                double goal1 = r.ratio(3, 1);
                double goal2 = r.ratio(4, 2);
                boolean g1 = goal1 <= 1;
                boolean g2 = goal2 <= 1;
                allMet &= g1 && g2;
                System.out.printf(Locale.ROOT, "%-16s %9.2f %9.2f %9.2f %11.2f %11.2f   %-30s %-30s %-24s%n",
                        file.getFileName().toString().replace(".onnx", ""), r.median(0), r.median(1), r.median(2),
                        r.median(3), r.median(4), ratio(goal1, r.ratioInterval(3, 1, 1), g1 ? "met" : "NOT met"),
                        ratio(goal2, r.ratioInterval(4, 2, 2), g2 ? "met" : "NOT met"),
                        ratio(r.ratio(5, 1), r.ratioInterval(5, 1, 3), ""));
            }
        }
        System.out.println(allMet ? "all goals met" : "some goals NOT met (ratios above; where a goal's interval "
                + "overlaps the A/A control's, the machine cannot tell the two set-ups apart)");
    }

    private static String ratio(double value, double[] interval, String verdict) {
        return String.format(Locale.ROOT, "%.3f [%.3f, %.3f] %s", value, interval[0], interval[1], verdict).strip();
    }

    private static OrtSessionConfig config(GraphOptimizationLevel level) {
        return OrtSessionConfig.defaults().withOptimizationLevel(level).withIntraOpThreads(2)
                .withSpinning(Boolean.parseBoolean(System.getProperty("spinning", "false")));
    }

    /** {@code -Dshapes=input_ids:1x128,...}: concrete sizes for symbolic inputs the model has (others ignored). */
    private static Map<String, io.mconv.ir.Shape> shapes(ModelRunner runner) {
        Map<String, io.mconv.ir.Shape> out = new java.util.LinkedHashMap<>();
        for (String spec : System.getProperty("shapes", "").split(",")) {
            int colon = spec.lastIndexOf(':');
            if (colon > 0 && runner.inputs().containsKey(spec.substring(0, colon))) {
                long[] dims = Arrays.stream(spec.substring(colon + 1).split("x")).mapToLong(Long::parseLong).toArray();
                out.put(spec.substring(0, colon), io.mconv.ir.Shape.of(dims));
            }
        }
        return out;
    }

    private static Path optimizedFile(Model original, Target target) throws java.io.IOException {
        Model copy = ModelCopier.copy(original);
        optimize(copy, target);
        Path file = java.nio.file.Files.createTempFile("mconv-bench-" + target.name().toLowerCase(Locale.ROOT), ".onnx");
        file.toFile().deleteOnExit();
        new ModelSaver().save(copy, file, WriteOptions.defaults());
        return file;
    }

    /** {@code -Ddisable=a,b} leaves passes out, to measure what each contributes. */
    private static void optimize(Model model, Target target) {
        String disable = System.getProperty("disable", "");
        List<String> off = disable.isBlank() ? List.of() : List.of(disable.split(","));
        new PassManager(PassRegistry.standard().select(OptimizationLevel.AGGRESSIVE, target, List.of(), off))
                .run(model, PassContext.of(OptimizationLevel.AGGRESSIVE, target));
    }
}
