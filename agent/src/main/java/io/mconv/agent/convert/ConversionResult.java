package io.mconv.agent.convert;

import io.mconv.agent.validation.ValidationReport;
import io.mconv.onnx.io.WriteResult;
import io.mconv.passes.opset.OpsetConverter;
import java.nio.file.Path;
import java.time.Duration;

/**
 * What a conversion did: where from and to, the sizes, the validation it passed (null when skipped) and the opset
 * conversion (null when the opset was kept).
 */
public record ConversionResult(Path source, long sourceBytes, WriteResult written, ValidationReport validation,
                               Duration elapsed, OpsetConverter.Result opset) {

    public ConversionResult(Path source, long sourceBytes, WriteResult written, ValidationReport validation,
                            Duration elapsed) {
        this(source, sourceBytes, written, validation, elapsed, null);
    }

    /** Output bytes: the model file plus its data file. */
    public long outputBytes() {
        return written.modelBytes() + written.dataBytes();
    }
}
