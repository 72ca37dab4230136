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
                double off = median(file, null, GraphOptimizationLevel.NONE, runs, warmup);
                double basic = median(file, null, GraphOptimizationLevel.BASIC, runs, warmup);
                double all = median(file, null, GraphOptimizationLevel.ALL, runs, warmup);
                double mconvOff = median(null, portable, GraphOptimizationLevel.NONE, runs, warmup);
                double mconvOrtAll = median(null, ort, GraphOptimizationLevel.ALL, runs, warmup);
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

    /** {@code -Ddisable=a,b} leaves passes out, to measure what each contributes. */
    private static void optimize(Model model, Target target) {
        String disable = System.getProperty("disable", "");
        List<String> off = disable.isBlank() ? List.of() : List.of(disable.split(","));
        new PassManager(PassRegistry.standard().select(OptimizationLevel.AGGRESSIVE, target, List.of(), off))
                .run(model, PassContext.of(OptimizationLevel.AGGRESSIVE, target));
    }

    private static double median(Path file, Model model, GraphOptimizationLevel level, int runs, int warmup) {
        OrtSessionConfig config = OrtSessionConfig.defaults().withOptimizationLevel(level).withIntraOpThreads(2);
        try (ModelRunner r = file != null ? OrtModelRunner.open(file, config) : OrtModelRunner.open(model, config)) {
            Map<String, Tensor> feeds = new RandomInputs(0).generate(r.inputs(), Map.of());
            for (int i = 0; i < warmup; i++) {
                r.run(feeds);
            }
            double[] ms = new double[runs];
            for (int i = 0; i < runs; i++) {
                long t0 = System.nanoTime();
                r.run(feeds);
                ms[i] = (System.nanoTime() - t0) / 1e6;
            }
            Arrays.sort(ms);
            return runs % 2 == 1 ? ms[runs / 2] : (ms[runs / 2 - 1] + ms[runs / 2]) / 2;
        }
    }
}
