package io.mconv.agent.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mconv.agent.runtime.ModelRunner;
import io.mconv.agent.runtime.ort.OrtModelRunner;
import io.mconv.agent.runtime.ort.OrtSessionConfig;
import io.mconv.ir.Attribute;
import io.mconv.ir.DataType;
import io.mconv.ir.Model;
import io.mconv.ir.Tensor;
import io.mconv.ir.Value;
import io.mconv.ir.testing.ModelBuilder;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The fact the ORT target of opset lowering rests on (LayerNormalizationAdapter keeps the node): ORT 1.29 registers a
 * LayerNormalization kernel in the ONNX domain for opsets 1 to 16 (its contrib registration, the same Welford code as
 * the opset-17 kernel), so a default-domain LayerNormalization in an opset-13 model loads and computes exactly what
 * the opset-17 original computes. If an ORT upgrade drops that registration, this test says so.
 */
class OrtLayerNormalizationBelow17Test {

    private static final int ROWS = 16;
    private static final int FEATURES = 384;

    private final Random random = new Random(7);
    private final float[] x = gaussian(ROWS * FEATURES, 3, 2);
    private final float[] scale = gaussian(FEATURES, 0, 1);
    private final float[] bias = gaussian(FEATURES, 0, 1);

    @ParameterizedTest
    @ValueSource(ints = {11, 13, 16})
    void ortRunsDefaultDomainLayerNormalizationBelowOpset17BitForBit(int opset) {
        float[] original = run(layerNorm(17));
        float[] below = run(layerNorm(opset));
        assertEquals(original.length, below.length);
        int differing = 0;
        for (int i = 0; i < original.length; i++) {
            differing += Float.floatToRawIntBits(original[i]) == Float.floatToRawIntBits(below[i]) ? 0 : 1;
        }
        System.out.printf("LayerNormalization at opset %d in ORT: %d of %d outputs differ bitwise from opset 17%n",
                opset, differing, original.length);
        assertEquals(0, differing, "ORT's LayerNormalization at opset " + opset + " differs from opset 17's");
    }

    private Model layerNorm(int opset) {
        ModelBuilder b = new ModelBuilder(opset);
        Value in = b.input("x", DataType.FLOAT, ROWS, FEATURES);
        Value gamma = b.constant(Tensor.ofFloats("scale", new long[] {FEATURES}, scale));
        Value beta = b.constant(Tensor.ofFloats("bias", new long[] {FEATURES}, bias));
        b.output(b.nodeWith("LayerNormalization", new Attribute[] {Attribute.ofInt("axis", -1),
                Attribute.ofFloat("epsilon", 1e-5f)}, in, gamma, beta), DataType.FLOAT, ROWS, FEATURES);
        return b.model();
    }

    private float[] run(Model model) {
        try (ModelRunner ort = OrtModelRunner.open(model, OrtSessionConfig.forValidation())) {
            String output = model.graph().outputs().get(0).name();
            return ort.run(Map.of("x", Tensor.ofFloats("x", new long[] {ROWS, FEATURES}, x))).get(output)
                    .toFloatArray();
        } catch (Exception e) {
            throw new AssertionError("ORT failed on LayerNormalization at opset " + model.opsetVersion("") + ": "
                    + e.getMessage(), e);
        }
    }

    private float[] gaussian(int n, double mean, double sd) {
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = (float) (random.nextGaussian() * sd + mean);
        }
        return out;
    }
}
