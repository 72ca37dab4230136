package io.mconv.agent.pipeline;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** {@code --no-cache}: steps write into a temporary folder that is deleted when the run ends; nothing is found. */
public final class ScratchStore implements StepStore {

    private final Path root;

    public ScratchStore() throws IOException {
        this.root = Files.createTempDirectory("mconv-convert");
    }

    @Override
    public Optional<Path> find(String key) {
        return Optional.empty();
    }

    @Override
    public Path stage() throws IOException {
        return Files.createTempDirectory(root, "step");
    }

    @Override
    public Path commit(String key, Path staged) {
        return staged;
    }

    @Override
    public void close() throws IOException {
        FileTrees.delete(root);
    }
}
