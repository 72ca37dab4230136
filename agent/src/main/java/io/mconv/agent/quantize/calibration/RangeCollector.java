package io.mconv.agent.quantize.calibration;

import io.mconv.agent.runtime.ort.GraphOptimizationLevel;
import io.mconv.agent.runtime.ort.OrtModelRunner;
import io.mconv.agent.runtime.ort.OrtSessionConfig;
import io.mconv.ir.DataType;
import io.mconv.ir.Model;
import io.mconv.ir.Tensor;
import io.mconv.ir.Value;
import io.mconv.passes.quantize.calibrated.CalibrationTable;
import io.mconv.passes.quantize.calibrated.TensorRange;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Measures activation ranges: runs the {@link AugmentedModel} in ONNX Runtime (CPU, graph optimizations off so no
 * fusion hides an intermediate) on each calibration sample, one at a time, and hands what it saw of each float
 * tensor (graph inputs and intermediates) to a {@link Calibrator}. A first pass records min and max; calibrators
 * that need a histogram get a second pass that fills one over that range, so nothing is kept of the activations
 * themselves beyond one sample.
 */
public final class RangeCollector {

    public CalibrationTable collect(Model model, CalibrationSamples samples, Calibrator calibrator) {
        AugmentedModel augmented = AugmentedModel.of(model);
        List<String> floatInputs = new ArrayList<>();
        for (Value in : model.graph().inputs()) {
            if (!in.isInitializer() && in.elemType() == DataType.FLOAT) {
                floatInputs.add(in.name());
            }
        }
        OrtSessionConfig config = OrtSessionConfig.defaults().withOptimizationLevel(GraphOptimizationLevel.NONE);
        Map<String, float[]> extremes = new LinkedHashMap<>(); // name -> {min, max}
        try (OrtModelRunner ort = OrtModelRunner.open(augmented.model(), config)) {
            for (Map<String, Tensor> feeds : samples.samples()) {
                observe(ort, feeds, floatInputs, augmented.exposed(), (name, values) -> {
                    float[] mm = extremes.computeIfAbsent(name,
                            k -> new float[] {Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY});
                    for (float f : values) {
                        if (f < mm[0]) {
                            mm[0] = f;
                        }
                        if (f > mm[1]) {
                            mm[1] = f;
                        }
                    }
                });
            }
            Map<String, Histogram> histograms = new LinkedHashMap<>();
            extremes.forEach((name, mm) -> {
                if (mm[0] <= mm[1]) {
                    Histogram h = calibrator.newHistogram(mm[0], mm[1]);
                    if (h != null) {
                        histograms.put(name, h);
                    }
                }
            });
            if (!histograms.isEmpty()) {
                for (Map<String, Tensor> feeds : samples.samples()) {
                    observe(ort, feeds, floatInputs, augmented.exposed(), (name, values) -> {
                        Histogram h = histograms.get(name);
                        if (h != null) {
                            h.add(values);
                        }
                    });
                }
            }
            Map<String, TensorRange> ranges = new LinkedHashMap<>();
            extremes.forEach((name, mm) -> {
                if (mm[0] <= mm[1]) { // empty or all-NaN tensors get no range
                    ranges.put(name, calibrator.range(mm[0], mm[1], histograms.get(name)));
                }
            });
            return new CalibrationTable(ranges);
        }
    }

    private interface Observer {
        void accept(String tensor, float[] values);
    }

    private static void observe(OrtModelRunner ort, Map<String, Tensor> feeds, List<String> floatInputs,
                                List<String> exposed, Observer observer) {
        for (String name : floatInputs) {
            Tensor t = feeds.get(name);
            if (t != null) {
                observer.accept(name, t.toFloatArray());
            }
        }
        Map<String, Tensor> outs = ort.run(feeds, exposed);
        for (String name : exposed) {
            Tensor t = outs.get(name);
            if (t != null && t.dataType() == DataType.FLOAT) {
                observer.accept(name, t.toFloatArray());
            }
        }
    }
}
