package io.mconv.agent.export;

import io.mconv.agent.validation.SourceValidator;
import io.mconv.agent.validation.ValidationReport;
import io.mconv.ir.Model;

import java.nio.file.Path;

/**
 * Runs the TorchScript source and the exported model on the same seeded inputs and compares them. The standard
 * implementation runs libtorch (through DJL, in a child JVM) against ONNX Runtime.
 */
public interface ExportValidation {

    ValidationReport validate(Path source, Model exported, Path out, TorchExportOptions options);

    /** libtorch in a worker JVM against ONNX Runtime (CPU, graph optimizations off). */
    static ExportValidation libtorch() {
        return (source, exported, out, options) -> new SourceValidator(SourceValidator.Options.defaults()
                .withTolerance(options.tolerance())).validate(source, exported, out).report();
    }
}
