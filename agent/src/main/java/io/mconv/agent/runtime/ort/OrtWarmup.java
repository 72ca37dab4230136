package io.mconv.agent.runtime.ort;

/**
 * Loads ONNX Runtime's native library and creates its process-wide environment on a background daemon thread.
 * That takes 150 to 350 ms; a command that will open sessions later (to validate what it wrote) starts it first,
 * so the wait overlaps its own reading and rewriting instead of adding to it. A failure here is not reported: the
 * command's own first session hits the same failure and reports it where it matters.
 */
public final class OrtWarmup {

    private OrtWarmup() {
    }

    public static void start() {
        Thread warm = new Thread(OrtWarmup::warm, "onnxruntime-warmup");
        warm.setDaemon(true);
        warm.start();
    }

    private static void warm() {
        try {
            OrtEnvironments.get();
            ExecutionProvider.available();
        } catch (RuntimeException | LinkageError e) {
            // Reported by the session open that needs it (see the class comment).
        }
    }
}
