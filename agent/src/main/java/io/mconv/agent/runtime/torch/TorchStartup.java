package io.mconv.agent.runtime.torch;

import java.time.Duration;

/**
 * What starting a worker cost, for reports and to keep startup in check.
 *
 * @param total       from starting the process to its ready message (JVM start + the two below)
 * @param engineInit  loading libtorch's native libraries in the worker (plus extracting them on first use)
 * @param modelLoad   {@code torch::jit::load} of the model file
 */
public record TorchStartup(Duration total, Duration engineInit, Duration modelLoad) {

    /** The JVM's own start, class loading and the protocol's first frame. */
    public Duration jvmStart() {
        return total.minus(engineInit).minus(modelLoad);
    }
}
