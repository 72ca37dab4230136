package io.mconv.agent.quantize.advisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mconv.agent.quantize.QuantizeMode;
import io.mconv.agent.quantize.QuantizeOptions;
import io.mconv.agent.quantize.StaticQuantizeOptions;
import io.mconv.conformance.ConformanceSuite;
import io.mconv.limits.Limit;
import io.mconv.limits.Limits;
import io.mconv.onnx.io.InvalidModelException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The advisor's plans read the model, and static int8 its calibration folder, under the run's limits rather than
 * the defaults: a lowered limit refuses the same input a raised one quantizes, through StaticQuantizer,
 * CalibrationFolder and TestDataInputs (static plan) and Quantizer's model loader (dynamic plan).
 */
class PlanLimitsTest {

    @TempDir
    Path work;

    /** A Conv model with one calibration sample of 853 bytes (test_data_set_0/input_0.pb). */
    private static Path conv() {
        return ConformanceSuite.root().resolve("pytorch-converted/test_Conv2d");
    }

    private static StaticPlan staticPlan(Limits limits) {
        StaticQuantizeOptions options = StaticQuantizeOptions.defaults().withCalibration(conv(), 1, 0);
        return new StaticPlan("static", "static int8", options, limits);
    }

    @Test
    void staticPlanReadsItsCalibrationFolderUnderTheRunsTestInputSize() throws Exception {
        Path model = conv().resolve("model.onnx");
        Path sample = conv().resolve("test_data_set_0/input_0.pb");
        long sampleBytes = Files.size(sample);
        InvalidModelException e = assertThrows(InvalidModelException.class, () -> staticPlan(
                Limits.defaults().with(Limit.TEST_INPUT_SIZE, 512)).produce(model, work));
        assertEquals(sample + ": is " + sampleBytes + " bytes: exceeds limit test-input-size=512; raise it with "
                + "--limit test-input-size=N", e.getMessage());

        ProducedModel produced = staticPlan(Limits.defaults().with(Limit.TEST_INPUT_SIZE, sampleBytes))
                .produce(model, work);
        assertTrue(Files.size(produced.file()) > 0);
        assertTrue(produced.rewrites() >= 1, "the Conv was quantized: " + produced.opCounts());
        assertTrue(produced.opCounts().getOrDefault("QuantizeLinear", 0) >= 1, produced.opCounts().toString());
    }

    @Test
    void dynamicPlanReadsTheModelUnderTheRunsProtobufDepth() throws Exception {
        Path model = conv().resolve("model.onnx");
        QuantizeOptions options = QuantizeOptions.defaults(QuantizeMode.DYNAMIC);
        InvalidModelException e = assertThrows(InvalidModelException.class, () -> new QuantizerPlan("dyn", "dyn",
                PlanKind.DYNAMIC_INT8, options, Limits.defaults().with(Limit.PROTOBUF_DEPTH, 2)).produce(model, work));
        assertTrue(e.getMessage().startsWith(model + ": "), e.getMessage());
        assertTrue(e.getMessage().endsWith("exceeds limit protobuf-depth=2; raise it with --limit protobuf-depth=N"),
                e.getMessage());
        ProducedModel produced = new QuantizerPlan("dyn", "dyn", PlanKind.DYNAMIC_INT8, options,
                Limits.defaults().with(Limit.PROTOBUF_DEPTH, 8)).produce(model, work);
        assertTrue(Files.size(produced.file()) > 0);
        assertEquals(1, produced.opCounts().getOrDefault("Conv", 0), "dynamic int8 leaves Conv in float");
    }
}
