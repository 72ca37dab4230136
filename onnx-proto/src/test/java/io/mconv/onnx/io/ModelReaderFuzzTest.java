package io.mconv.onnx.io;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzzes {@link ModelReader} on bytes (issue 8). The contract: a parsed model that has a graph, or an
 * {@link InvalidModelException} with a one-line message. Anything else (another exception, a StackOverflowError,
 * an OutOfMemoryError, a hang past the timeout) is a finding. Seeds: src/test/resources/.../ModelReaderFuzzTestInputs.
 */
class ModelReaderFuzzTest {

    @FuzzTest(maxDuration = "60s")
    @Timeout(10)
    void readModel(byte[] data) {
        try (LoadedModel loaded = new ModelReader().read(data)) {
            assertTrue(loaded.model().hasGraph(), "the reader returned a model without a graph");
            assertNotNull(loaded.model().getGraph());
        } catch (InvalidModelException e) {
            FuzzContract.assertOneLineRefusal(e);
        }
    }
}
