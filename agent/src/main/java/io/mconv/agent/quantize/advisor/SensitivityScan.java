package io.mconv.agent.quantize.advisor;

import io.mconv.agent.model.IrModelFile;
import io.mconv.agent.model.ModelLoader;
import io.mconv.agent.runtime.ort.OrtModelRunner;
import io.mconv.agent.runtime.ort.OrtSessionConfig;
import io.mconv.ir.Model;
import io.mconv.limits.Limits;
import io.mconv.passes.OptimizationLevel;
import io.mconv.passes.PassContext;
import io.mconv.passes.Target;
import io.mconv.passes.quantize.DynamicQuantConfig;
import io.mconv.passes.quantize.NodeExclusions;
import io.mconv.passes.quantize.QuantizeDynamic;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Quantizes one layer at a time with dynamic int8 (every other quantizable layer excluded by name, as
 * {@code --exclude} would) and measures the output error against the float model, in memory: nothing is written.
 * Only dynamic int8's layers (MatMul, Gemm, Gather tables) are scanned; Conv is quantized by static int8 only, which
 * needs a calibration per layer and is not scanned. With many layers the scan is bounded to the largest by weight
 * bytes (where quantization buys the most size), and the report says so.
 */
public final class SensitivityScan {

    private final DynamicQuantConfig config;
    private final EvaluationSet evaluation;
    private final int maxLayers;
    private final ModelLoader loader;

    /**
     * @param config    the dynamic int8 settings of the plan the scan predicts (exclusions are replaced)
     * @param maxLayers the most layers to scan
     * @param limits    what the model is read under, once per scanned layer
     */
    public SensitivityScan(DynamicQuantConfig config, EvaluationSet evaluation, int maxLayers, Limits limits) {
        this.config = config;
        this.evaluation = evaluation;
        this.maxLayers = maxLayers;
        this.loader = new ModelLoader(limits);
    }

    public SensitivityReport scan(Path source, ModelProfile profile) {
        List<QuantizableLayer> layers = profile.dynamicLayers();
        if (layers.isEmpty()) {
            return SensitivityReport.skipped(0, "no layer dynamic int8 quantizes (MatMul, Gemm or Gather with a "
                    + "constant float weight)");
        }
        if (maxLayers <= 0) {
            return SensitivityReport.skipped(layers.size(), "sensitivity scan off");
        }
        List<QuantizableLayer> scanned = layers.stream()
                .sorted(Comparator.comparingLong(QuantizableLayer::weightBytes).reversed())
                .limit(maxLayers).toList();
        Set<String> all = layers.stream().map(QuantizableLayer::node).collect(Collectors.toSet());
        OrtSessionConfig session = OrtSessionConfig.defaults().withIntraOpThreads(1);
        List<LayerSensitivity> out = new ArrayList<>();
        for (QuantizableLayer layer : scanned) {
            Set<String> others = all.stream().filter(n -> !n.equals(layer.node())).collect(Collectors.toSet());
            try (IrModelFile file = loader.load(source)) {
                Model model = file.model();
                new QuantizeDynamic(config.withExclusions(new NodeExclusions(others)))
                        .run(model, PassContext.of(OptimizationLevel.AGGRESSIVE, Target.ORT));
                try (OrtModelRunner runner = OrtModelRunner.open(model, session)) {
                    PlanAccuracy a = AccuracyMeter.measure(runner, evaluation);
                    out.add(new LayerSensitivity(layer.node(), layer.opType(), layer.weightBytes(), a.cosine(),
                            a.maxAbsError(), a.drop()));
                }
            }
        }
        out.sort(Comparator.comparingDouble(LayerSensitivity::drop).reversed()
                .thenComparing(LayerSensitivity::node));
        String note = scanned.size() < layers.size()
                ? "scanned the " + scanned.size() + " largest of " + layers.size() + " layers by weight bytes"
                : "";
        int convs = profile.layers().size() - layers.size();
        if (convs > 0) {
            note = (note.isEmpty() ? "" : note + "; ") + convs + " Conv layer(s) not scanned (dynamic int8 leaves "
                    + "Conv in float)";
        }
        return new SensitivityReport(out, layers.size(), note);
    }
}
