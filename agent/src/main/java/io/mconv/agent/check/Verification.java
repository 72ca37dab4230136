package io.mconv.agent.check;

/**
 * What actually happened when {@code --verify} created a session on the target and ran it once.
 *
 * @param status    the outcome
 * @param detail    the runtime's error, or why the target could not be tried here
 * @param millis    session creation plus the run, in milliseconds (0 when not tried)
 */
public record Verification(Status status, String detail, long millis) {

    public enum Status {
        /** The session was created and one run with random inputs succeeded. */
        RAN,
        /** The session was created but the run failed. */
        RUN_FAILED,
        /** ONNX Runtime refused to create the session. */
        SESSION_FAILED,
        /** The session was created; the inputs are of a kind ORT Java cannot feed, so no run was tried. */
        SESSION_ONLY,
        /** The target is not available in this process (no such provider in this ONNX Runtime build). */
        NOT_AVAILABLE;

        public String id() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }
    }

    /** Whether the target ran the model, or null when it could not be tried. */
    public Boolean ran() {
        return switch (status) {
            case RAN, SESSION_ONLY -> Boolean.TRUE;
            case RUN_FAILED, SESSION_FAILED -> Boolean.FALSE;
            case NOT_AVAILABLE -> null;
        };
    }
}
