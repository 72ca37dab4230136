package io.mconv.agent.runtime.torch;

/**
 * libtorch cannot be used in this installation (the DJL jars are missing, or there is no libtorch build for this
 * platform in them). The message says what is missing and how to get it.
 */
public class TorchRuntimeUnavailableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public TorchRuntimeUnavailableException(String message) {
        super(message);
    }
}
