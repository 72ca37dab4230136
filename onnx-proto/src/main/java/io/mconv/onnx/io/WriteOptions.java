package io.mconv.onnx.io;

import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;

/**
 * How {@link ModelWriter} writes a model. Immutable; start from {@link #defaults()} and use the {@code with...}
 * methods.
 *
 * @param policy when tensors go to a data file
 * @param thresholdBytes tensors with at least this many data bytes go external (ALWAYS, and AUTO once triggered)
 * @param dataFileName the data file's name in the output's folder; null means {@code <output name>.data}
 * @param inlineLimitBytes the largest inline file AUTO and NEVER accept; the protobuf limit unless a test injects
 *     a smaller one
 * @param alignment byte alignment of each tensor in the data file (so it can be mapped and read in place)
 * @param source where the bytes of tensors that are still external come from; null when there are none
 * @param protectedPaths files the output and the data file must never replace (the input and its data files)
 */
public record WriteOptions(
        ExternalDataPolicy policy,
        long thresholdBytes,
        String dataFileName,
        long inlineLimitBytes,
        int alignment,
        TensorDataSource source,
        Set<Path> protectedPaths) {

    public static final long DEFAULT_THRESHOLD_BYTES = 1024;
    public static final long PROTOBUF_LIMIT_BYTES = Integer.MAX_VALUE;
    public static final int DEFAULT_ALIGNMENT = 4096;

    public WriteOptions {
        Objects.requireNonNull(policy, "policy");
        if (thresholdBytes < 0) {
            throw new IllegalArgumentException("threshold must be non-negative");
        }
        if (inlineLimitBytes <= 0 || inlineLimitBytes > PROTOBUF_LIMIT_BYTES) {
            throw new IllegalArgumentException("inline limit must be in (0, 2 GiB)");
        }
        if (alignment < 1 || Integer.bitCount(alignment) != 1) {
            throw new IllegalArgumentException("alignment must be a power of two");
        }
        protectedPaths = Set.copyOf(protectedPaths == null ? Set.of() : protectedPaths);
    }

    /** AUTO, threshold 1024 bytes, {@code <out>.data}, the protobuf limit, 4096-byte alignment. */
    public static WriteOptions defaults() {
        return new WriteOptions(ExternalDataPolicy.AUTO, DEFAULT_THRESHOLD_BYTES, null, PROTOBUF_LIMIT_BYTES,
                DEFAULT_ALIGNMENT, null, Set.of());
    }

    /** Options for writing a model that was read: its external data as source, its files protected. */
    public static WriteOptions forInput(LoadedModel input) {
        return defaults().withSource(input.externalData()).withProtectedPaths(input.inputFiles());
    }

    public WriteOptions withPolicy(ExternalDataPolicy p) {
        return new WriteOptions(p, thresholdBytes, dataFileName, inlineLimitBytes, alignment, source, protectedPaths);
    }

    public WriteOptions withThresholdBytes(long t) {
        return new WriteOptions(policy, t, dataFileName, inlineLimitBytes, alignment, source, protectedPaths);
    }

    public WriteOptions withDataFileName(String name) {
        return new WriteOptions(policy, thresholdBytes, name, inlineLimitBytes, alignment, source, protectedPaths);
    }

    public WriteOptions withInlineLimitBytes(long limit) {
        return new WriteOptions(policy, thresholdBytes, dataFileName, limit, alignment, source, protectedPaths);
    }

    public WriteOptions withSource(TensorDataSource s) {
        return new WriteOptions(policy, thresholdBytes, dataFileName, inlineLimitBytes, alignment, s, protectedPaths);
    }

    public WriteOptions withProtectedPaths(Set<Path> paths) {
        return new WriteOptions(policy, thresholdBytes, dataFileName, inlineLimitBytes, alignment, source, paths);
    }

    /** Adds paths to the protected set. */
    public WriteOptions protecting(Path... paths) {
        Set<Path> all = new LinkedHashSet<>(protectedPaths);
        all.addAll(Set.of(paths));
        return withProtectedPaths(all);
    }
}
