package io.mconv.agent.optimize;

import io.mconv.agent.validation.ValidationReport;
import io.mconv.onnx.io.WriteResult;
import io.mconv.passes.PassReport;
import java.nio.file.Path;
import java.time.Duration;

/** What an optimization did: the pass report, the opsets, the validation (null when skipped) and the file written. */
public record OptimizationResult(Path source, long sourceBytes, int opsetBefore, int opsetAfter, PassReport passes,
                                 ValidationReport validation, WriteResult written, Duration elapsed) {
}
