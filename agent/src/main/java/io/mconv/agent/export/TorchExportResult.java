package io.mconv.agent.export;

import io.mconv.agent.validation.ValidationReport;
import io.mconv.onnx.io.WriteResult;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What an export did: source and output, the op histogram of the written graph, the export warnings, the
 * validation (against libtorch for TorchScript, against mconv's evaluator for a state_dict; null when skipped),
 * how long each phase took, and what kind of source it was ({@code torchscript}, or {@code state_dict} built
 * with {@code --arch}).
 */
public record TorchExportResult(Path source, long sourceBytes, WriteResult written, int opset, int nodes,
                                Map<String, Integer> opHistogram, List<String> warnings, ValidationReport validation,
                                Duration exportTime, Duration elapsed, String sourceFormat) {

    public static final String TORCHSCRIPT = "torchscript";
    public static final String STATE_DICT = "state_dict";

    public TorchExportResult {
        opHistogram = Map.copyOf(opHistogram);
        warnings = List.copyOf(warnings);
    }

    /** A TorchScript export. */
    public TorchExportResult(Path source, long sourceBytes, WriteResult written, int opset, int nodes,
                             Map<String, Integer> opHistogram, List<String> warnings, ValidationReport validation,
                             Duration exportTime, Duration elapsed) {
        this(source, sourceBytes, written, opset, nodes, opHistogram, warnings, validation, exportTime, elapsed,
                TORCHSCRIPT);
    }

    public long outputBytes() {
        return written.modelBytes() + written.dataBytes();
    }
}
