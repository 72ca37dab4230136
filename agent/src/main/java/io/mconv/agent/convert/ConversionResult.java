package io.mconv.agent.convert;

import io.mconv.agent.validation.ValidationReport;
import io.mconv.onnx.io.WriteResult;
import java.nio.file.Path;
import java.time.Duration;

/**
 * What a conversion did: where from and to, the sizes, and the validation it passed (null when skipped).
 */
public record ConversionResult(Path source, long sourceBytes, WriteResult written, ValidationReport validation,
                               Duration elapsed) {

    /** Output bytes: the model file plus its data file. */
    public long outputBytes() {
        return written.modelBytes() + written.dataBytes();
    }
}
