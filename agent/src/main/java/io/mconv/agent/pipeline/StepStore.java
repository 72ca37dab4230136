package io.mconv.agent.pipeline;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where steps put what they produce: the persistent {@link ArtifactCache}, or a {@link ScratchStore} that forgets
 * everything when the run ends ({@code --no-cache}).
 */
public interface StepStore extends AutoCloseable {

    /** The folder of a finished step with this key, when there is one. */
    Optional<Path> find(String key) throws IOException;

    /** A new, empty folder for a step to write into. */
    Path stage() throws IOException;

    /** Makes a staged folder the entry of {@code key}; returns where it now is. */
    Path commit(String key, Path staged) throws IOException;

    @Override
    void close() throws IOException;
}
