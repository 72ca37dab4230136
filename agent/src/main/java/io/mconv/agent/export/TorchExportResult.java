package io.mconv.agent.export;

import io.mconv.agent.validation.ValidationReport;
import io.mconv.onnx.io.WriteResult;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What an export did: source and output, the op histogram of the written graph, the export warnings, the
 * validation against libtorch (null when skipped) and how long each phase took.
 */
public record TorchExportResult(Path source, long sourceBytes, WriteResult written, int opset, int nodes,
                                Map<String, Integer> opHistogram, List<String> warnings, ValidationReport validation,
                                Duration exportTime, Duration elapsed) {

    public TorchExportResult {
        opHistogram = Map.copyOf(opHistogram);
        warnings = List.copyOf(warnings);
    }

    public long outputBytes() {
        return written.modelBytes() + written.dataBytes();
    }
}
