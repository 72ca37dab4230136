package io.mconv.agent.profile;

import java.nio.file.Path;
import java.util.List;

/**
 * Everything {@code mconv profile} measured for one model.
 *
 * @param model            the model file
 * @param runtime          e.g. {@code onnxruntime 1.29.0}
 * @param providers        the providers the session got (ORT's user names, priority order)
 * @param warnings         provider fallbacks and similar, one line each
 * @param sessionCreateMs  wall time to create the latency session (load, ORT's graph optimizations, kernels)
 * @param firstInferenceMs the first run of the session (at the first batch size), before any warm-up
 * @param batches          one timing loop per batch size, in the order asked
 * @param memory           resident memory of the latency session
 * @param ops              the per-op breakdown from a separate profiling session, or null when skipped
 * @param opsNote          why {@code ops} is missing, or ""
 */
public record ModelProfile(Path model, String runtime, List<String> providers, List<String> warnings,
                           double sessionCreateMs, double firstInferenceMs, List<BatchProfile> batches,
                           MemoryReport memory, OpBreakdown ops, String opsNote) {

    public ModelProfile {
        providers = List.copyOf(providers);
        warnings = List.copyOf(warnings);
        batches = List.copyOf(batches);
    }

    /** The file name without {@code .onnx}, for tables. */
    public String name() {
        String n = model.getFileName().toString();
        return n.endsWith(".onnx") ? n.substring(0, n.length() - 5) : n;
    }

    /**
     * Warnings about the measurement itself, apart from {@link #warnings()} (about the set-up): a loop the machine's
     * speed changed under, whose figures another run may not repeat. They depend on the machine at the time.
     */
    public List<String> measurementWarnings() {
        return batches.stream().flatMap(b -> b.driftWarning("latency").stream()).toList();
    }

    /** {@link #warnings()} then {@link #measurementWarnings()}: what a report shows the user. */
    public List<String> allWarnings() {
        return java.util.stream.Stream.concat(warnings.stream(), measurementWarnings().stream()).toList();
    }

    /** The first batch size's loop: the model's headline figures. */
    public BatchProfile primary() {
        return batches.get(0);
    }
}
