package io.mconv.onnx.io;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a refusal must look like to the user: one non-empty line with a reason (BAD_INPUTS, "one error line"). */
final class FuzzContract {

    private FuzzContract() {
    }

    static void assertOneLineRefusal(FileProblemException e) {
        String message = e.getMessage();
        assertNotNull(message, "refusal without a message");
        assertFalse(message.contains("\n") || message.contains("\r"), () -> "refusal message spans several lines: " + message);
        assertTrue(e.reason() != null && !e.reason().isBlank(), () -> "refusal without a reason: " + message);
    }
}
