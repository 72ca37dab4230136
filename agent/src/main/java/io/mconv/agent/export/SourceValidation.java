package io.mconv.agent.export;

import io.mconv.agent.validation.ValidationReport;
import io.mconv.ir.Model;

import java.nio.file.Path;

/**
 * Runs the TorchScript source and the exported model on the same seeded inputs and compares them. The standard
 * implementation runs libtorch (through DJL, in a child JVM) against ONNX Runtime.
 */
public interface SourceValidation {

    ValidationReport validate(Path source, Model exported, TorchExportOptions options);

    /** libtorch vs ONNX Runtime; wired when the DJL runtime lands. */
    static SourceValidation libtorch() {
        return (source, exported, options) -> {
            throw new UnsupportedOperationException("libtorch validation is not available in this build; use "
                    + "--no-validate");
        };
    }
}
