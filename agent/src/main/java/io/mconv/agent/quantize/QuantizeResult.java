package io.mconv.agent.quantize;

import io.mconv.onnx.io.WriteResult;
import io.mconv.passes.PassReport;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * What a quantization did: the plan, the rewrites and the passes' notes (nodes left alone and why), warnings the
 * user should read (random calibration data), the sizes, the quality against the float model and the latency ratio
 * (both null with validation off).
 */
public record QuantizeResult(Path source, String plan, String precision, long sourceBytes, WriteResult written,
                             int opsetBefore, int opsetAfter, PassReport passes, List<String> notes,
                             List<String> warnings, QualityReport quality, LatencyComparison latency,
                             Duration elapsed) {

    public QuantizeResult {
        notes = List.copyOf(notes);
        warnings = List.copyOf(warnings);
    }

    public long outputBytes() {
        return written.modelBytes() + written.dataBytes();
    }

    public double sizeRatio() {
        return (double) outputBytes() / sourceBytes;
    }
}
