package io.mconv.onnx.io;

import java.io.IOException;

/**
 * A last check on a model the {@link ModelWriter} has written under temporary names, before they replace the
 * destination. Throwing aborts the write: the temporaries go and the destination stays as it was.
 */
@FunctionalInterface
public interface BeforeCommit {

    void check(StagedModel staged) throws IOException;
}
