package io.mconv.agent.quantize;

import io.mconv.agent.quantize.calibration.CalibrationMethod;
import io.mconv.ir.testing.Fixtures;
import io.mconv.passes.Target;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The goal for static int8 on the CNN fixtures: calibrated on 16 seeded N(0,1) images, evaluated on 4 other
 * N(0,1) images, the output cosine against the float model is at least 0.99. Prints size ratio, cosine, max abs
 * error, top-1 agreement and the ORT CPU latency ratio (median of alternating runs, ORT optimizations on).
 */
class StaticQuantizerAcceptanceTest {

    @TempDir
    Path tmp;

    @ParameterizedTest
    @CsvSource({"resnet18, minmax, qdq", "mobilenet_v2, minmax, qdq", "resnet18, entropy, qdq",
            "resnet18, percentile, qdq", "resnet18, minmax, qoperator", "mobilenet_v2, percentile, qoperator"})
    void cnnKeepsCosineAboveTheGoal(String name, String method, String format) throws Exception {
        StaticQuantizeOptions options = StaticQuantizeOptions.defaults()
                .withMethod(CalibrationMethod.parse(method), 99.999)
                .withFormat(StaticQuantizeOptions.QuantFormat.parse(format), Target.PORTABLE)
                .withEvaluation(4, 15);
        StaticQuantizeResult r = new StaticQuantizer().quantize(Fixtures.generated(name + ".onnx"),
                tmp.resolve(name + ".int8.onnx"), options);
        OutputQuality out = r.outputs().get(0);
        System.out.printf("%s %s %s: size %.3fx (%d -> %d bytes), cosine %.5f, max abs %.4f, top-1 %.2f, "
                        + "latency fp32 %.2f ms int8 %.2f ms ratio %.2fx; %d tensors calibrated, %d quantized; ops %s%n",
                name, method, format, r.sizeRatio(), r.floatBytes(), r.quantizedBytes(), out.cosine(),
                out.maxAbsError(), out.top1Agreement(), r.fp32LatencyMs(), r.int8LatencyMs(), r.latencyRatio(),
                r.calibratedTensors(), r.quantizedNodes(), r.opCounts());
        assertTrue(out.cosine() >= 0.99, name + " " + method + ": cosine " + out.cosine());
        assertTrue(r.sizeRatio() < 0.30, "size ratio " + r.sizeRatio());
        assertTrue(r.warnings().stream().anyMatch(w -> w.contains("random")), r.warnings().toString());
    }
}
