package io.mconv.agent.bench;

import io.mconv.agent.model.IrModelFile;
import io.mconv.agent.model.ModelLoader;
import io.mconv.agent.runtime.ModelRunner;
import io.mconv.agent.runtime.ort.GraphOptimizationLevel;
import io.mconv.agent.runtime.ort.OrtModelRunner;
import io.mconv.agent.runtime.ort.OrtSessionConfig;
import io.mconv.agent.validation.RandomInputs;
import io.mconv.ir.Model;
import io.mconv.ir.Tensor;
import io.mconv.ir.serde.ModelCopier;
import io.mconv.passes.OptimizationLevel;
import io.mconv.passes.PassContext;
import io.mconv.passes.PassManager;
import io.mconv.passes.PassRegistry;
import io.mconv.passes.Target;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Benchmark (not a unit test; run by bench/optimize-latency.sh): ORT CPU median latency of each model in five
 * set-ups measured in the same run — the original with ORT's optimizations off, at BASIC and at ALL; mconv
 * {@code -O aggressive} with ORT off; mconv {@code -O aggressive --target ort} at ALL — and the two ratios the
 * issue sets as goals. Arguments: model files; system properties {@code runs} (50), {@code warmup} (10) and
 * {@code disable} (passes to leave out).
 */
public final class OptimizeLatencyBench {

    private OptimizeLatencyBench() {
    }

    public static void main(String[] args) throws Exception {
        int runs = Integer.getInteger("runs", 50);
        int warmup = Integer.getInteger("warmup", 10);
        System.out.printf(Locale.ROOT, "ORT CPU median latency, %d runs after %d warm-up, ms%n", runs, warmup);
        System.out.printf(Locale.ROOT, "%-16s %9s %9s %9s %11s %11s   %-28s %-28s%n", "model", "orig/off",
                "orig/basic", "orig/all", "mconv/off", "mconv-ort/all", "goal1 mconv/off <= basic", "goal2 ort/all <= all");
        boolean allMet = true;
        for (String arg : args) {
            Path file = Path.of(arg);
            try (IrModelFile loaded = new ModelLoader().load(file)) {
                Model portable = ModelCopier.copy(loaded.model());
                optimize(portable, Target.PORTABLE);
                Model ort = ModelCopier.copy(loaded.model());
                optimize(ort, Target.ORT);
                double[] medians = interleavedMedians(List.of(
                        () -> OrtModelRunner.open(file, config(GraphOptimizationLevel.NONE)),
                        () -> OrtModelRunner.open(file, config(GraphOptimizationLevel.BASIC)),
                        () -> OrtModelRunner.open(file, config(GraphOptimizationLevel.ALL)),
                        () -> OrtModelRunner.open(portable, config(GraphOptimizationLevel.NONE)),
                        () -> OrtModelRunner.open(ort, config(GraphOptimizationLevel.ALL))), runs, warmup);
                double off = medians[0];
                double basic = medians[1];
                double all = medians[2];
                double mconvOff = medians[3];
                double mconvOrtAll = medians[4];
                boolean g1 = mconvOff <= basic;
                boolean g2 = mconvOrtAll <= all;
                allMet &= g1 && g2;
                System.out.printf(Locale.ROOT, "%-16s %9.2f %9.2f %9.2f %11.2f %11.2f   %-28s %-28s%n",
                        file.getFileName().toString().replace(".onnx", ""), off, basic, all, mconvOff, mconvOrtAll,
                        String.format(Locale.ROOT, "%.3f %s", mconvOff / basic, g1 ? "met" : "NOT met"),
                        String.format(Locale.ROOT, "%.3f %s", mconvOrtAll / all, g2 ? "met" : "NOT met"));
            }
        }
        System.out.println(allMet ? "all goals met" : "some goals NOT met (ratios above; noise on a shared 2-core machine "
                + "is a few percent)");
    }

    private static OrtSessionConfig config(GraphOptimizationLevel level) {
        return OrtSessionConfig.defaults().withOptimizationLevel(level).withIntraOpThreads(2);
    }

    /**
     * Opens every set-up at once, then measures them in interleaved rounds of a few runs each, so that the machine's
     * drift (other tenants, frequency changes) falls on all set-ups alike; returns each set-up's median in ms.
     */
    private static double[] interleavedMedians(List<java.util.function.Supplier<ModelRunner>> setups, int runs,
                                               int warmup) {
        List<ModelRunner> runners = new ArrayList<>();
        try {
            for (java.util.function.Supplier<ModelRunner> s : setups) {
                runners.add(s.get());
            }
            Map<String, Tensor> feeds = new RandomInputs(0).generate(runners.get(0).inputs(), shapes(runners.get(0)));
            for (ModelRunner r : runners) {
                for (int i = 0; i < warmup; i++) {
                    r.run(feeds);
                }
            }
            int perRound = 5;
            double[][] ms = new double[runners.size()][runs];
            for (int done = 0; done < runs; done += perRound) {
                for (int k = 0; k < runners.size(); k++) {
                    for (int i = done; i < Math.min(runs, done + perRound); i++) {
                        long t0 = System.nanoTime();
                        runners.get(k).run(feeds);
                        ms[k][i] = (System.nanoTime() - t0) / 1e6;
                    }
                }
            }
            double[] medians = new double[runners.size()];
            for (int k = 0; k < medians.length; k++) {
                Arrays.sort(ms[k]);
                medians[k] = runs % 2 == 1 ? ms[k][runs / 2] : (ms[k][runs / 2 - 1] + ms[k][runs / 2]) / 2;
            }
            return medians;
        } finally {
            runners.forEach(ModelRunner::close);
        }
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

    /** {@code -Ddisable=a,b} leaves passes out, to measure what each contributes. */
    private static void optimize(Model model, Target target) {
        String disable = System.getProperty("disable", "");
        List<String> off = disable.isBlank() ? List.of() : List.of(disable.split(","));
        new PassManager(PassRegistry.standard().select(OptimizationLevel.AGGRESSIVE, target, List.of(), off))
                .run(model, PassContext.of(OptimizationLevel.AGGRESSIVE, target));
    }
}
