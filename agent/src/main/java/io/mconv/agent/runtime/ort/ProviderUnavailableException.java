package io.mconv.agent.runtime.ort;

import java.util.Set;
import java.util.stream.Collectors;

/**
 * A requested execution provider is not in the loaded ONNX Runtime build and fallback was not allowed. The message
 * names the provider, what this build has, and how to get one that has it.
 */
public class ProviderUnavailableException extends RuntimeException {

    private final ExecutionProvider provider;

    public ProviderUnavailableException(ExecutionProvider provider, Set<ExecutionProvider> available) {
        super(message(provider, available));
        this.provider = provider;
    }

    /** For a provider this build lists but ORT's Java API cannot register, or one ORT refused to start. */
    public ProviderUnavailableException(ExecutionProvider provider, String message, Throwable cause) {
        super(message, cause);
        this.provider = provider;
    }

    public ExecutionProvider provider() {
        return provider;
    }

    static String message(ExecutionProvider provider, Set<ExecutionProvider> available) {
        return "execution provider " + provider.userName() + " (" + provider.ortName()
                + ") is not available in this ONNX Runtime build; available here: "
                + available.stream().map(ExecutionProvider::userName).collect(Collectors.joining(", "))
                + ". To get " + provider.userName() + ": " + provider.howToGet()
                + ". Or allow fallback to run on cpu.";
    }
}
