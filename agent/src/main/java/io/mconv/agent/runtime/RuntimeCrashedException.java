package io.mconv.agent.runtime;

/**
 * A native runtime running in a worker process died (a segfault, an abort, a kill) or did not answer in time and was
 * killed. Unlike its parent class this is not the runtime's verdict on the model but a failure of the runtime itself:
 * validation must not report it as a mismatch, and the CLI reports it as an internal error (exit 4) whose message
 * names the runtime ("onnxruntime crashed (signal 6 (SIGABRT)) ...").
 */
public class RuntimeCrashedException extends RuntimeFailureException {

    public RuntimeCrashedException(String message, String runtimeCode, Throwable cause) {
        super(message, runtimeCode, cause);
    }
}
