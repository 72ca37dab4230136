package io.mconv.agent.quantize.calibration;

import io.mconv.agent.validation.RandomInputs;
import io.mconv.ir.DataType;
import io.mconv.ir.Shape;
import io.mconv.ir.Tensor;
import io.mconv.ir.ValueType;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Seeded random calibration samples: float inputs drawn from N(0, 1) (the distribution of normalized images and
 * embeddings), other inputs as {@link RandomInputs} makes them. Ranges calibrated on noise only fit inputs that
 * look like noise, so the samples carry a warning recommending real data.
 */
public final class GaussianCalibrationInputs {

    public static final String WARNING = "calibrating on seeded random N(0,1) inputs: real data from the model's "
            + "domain (--calibration DIR) gives ranges that fit real inputs better";

    private final long seed;

    public GaussianCalibrationInputs(long seed) {
        this.seed = seed;
    }

    public CalibrationSamples generate(Map<String, ValueType> inputs, Map<String, Shape> shapes, int count) {
        if (count < 1) {
            throw new IllegalArgumentException("the number of random calibration samples must be >= 1: " + count);
        }
        Random random = new Random(seed);
        List<Map<String, Tensor>> samples = new ArrayList<>();
        for (int s = 0; s < count; s++) {
            Map<String, Tensor> base = new RandomInputs(seed + s).generate(inputs, shapes);
            Map<String, Tensor> feeds = new LinkedHashMap<>();
            for (Map.Entry<String, Tensor> e : base.entrySet()) {
                Tensor t = e.getValue();
                if (t.dataType() == DataType.FLOAT) {
                    float[] v = new float[Math.toIntExact(t.elementCount())];
                    for (int i = 0; i < v.length; i++) {
                        v[i] = (float) random.nextGaussian();
                    }
                    t = Tensor.ofFloats(e.getKey(), t.dims(), v);
                }
                feeds.put(e.getKey(), t);
            }
            samples.add(feeds);
        }
        return new CalibrationSamples(samples, count + " seeded random N(0,1) samples (seed " + seed + ")",
                List.of(WARNING));
    }
}
