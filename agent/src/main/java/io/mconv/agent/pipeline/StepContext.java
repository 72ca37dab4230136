package io.mconv.agent.pipeline;

import io.mconv.limits.Limits;

import java.nio.file.Path;

/**
 * What every step of one run shares, plus the folder this step writes into.
 *
 * @param source       the user's source model (.pt or .onnx), never modified
 * @param sourceSha256 its content hash, hex
 * @param outputDir    an empty folder for this step's artifact: it becomes the cache entry when the step succeeds
 * @param limits       the run's resource limits ({@code --limit}), for every reader a step opens
 */
public record StepContext(Path source, String sourceSha256, Path outputDir, Limits limits) {

    /** The file a model-producing step writes: always this name, so cache entries look alike. */
    public Path artifactFile() {
        return outputDir.resolve(ArtifactCache.ARTIFACT);
    }
}
