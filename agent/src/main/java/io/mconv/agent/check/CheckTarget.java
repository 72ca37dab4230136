package io.mconv.agent.check;

import io.mconv.agent.runtime.ort.ExecutionProvider;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The runtimes {@code mconv check} knows, each with its capability table resource and, where ONNX Runtime Java can
 * open a session on it, the execution provider that {@code --verify} uses.
 */
public enum CheckTarget {
    CPU("cpu", ExecutionProvider.CPU),
    CUDA("cuda", ExecutionProvider.CUDA),
    TENSORRT("tensorrt", ExecutionProvider.TENSORRT),
    DIRECTML("directml", ExecutionProvider.DIRECTML),
    COREML("coreml", ExecutionProvider.COREML),
    WEBGPU("webgpu", ExecutionProvider.WEBGPU),
    /** ONNX Runtime Web's wasm backend: the CPU kernels compiled to WebAssembly; only a browser or Node runs it. */
    WASM("wasm", null);

    private final String userName;
    private final ExecutionProvider provider;

    CheckTarget(String userName, ExecutionProvider provider) {
        this.userName = userName;
        this.provider = provider;
    }

    public String userName() {
        return userName;
    }

    /** The provider {@code --verify} opens a session with; empty when ORT Java cannot run this target at all. */
    public Optional<ExecutionProvider> provider() {
        return Optional.ofNullable(provider);
    }

    String resource() {
        return userName + ".caps";
    }

    /**
     * Parses a comma-separated list ({@code cpu,cuda}), keeping the order given and dropping repeats.
     *
     * @throws IllegalArgumentException naming the unknown target and the accepted ones (a usage error)
     */
    public static List<CheckTarget> parseList(String text) {
        List<CheckTarget> out = new java.util.ArrayList<>();
        for (String part : text.split(",")) {
            String t = part.trim().toLowerCase(Locale.ROOT);
            if (t.isEmpty()) {
                continue;
            }
            CheckTarget found = Arrays.stream(values()).filter(v -> v.userName.equals(t)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("unknown target '" + part.trim()
                            + "'; accepted: " + acceptedNames()));
            if (!out.contains(found)) {
                out.add(found);
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("no target given; accepted: " + acceptedNames());
        }
        return out;
    }

    public static String acceptedNames() {
        return Arrays.stream(values()).map(CheckTarget::userName).collect(Collectors.joining(", "));
    }
}
