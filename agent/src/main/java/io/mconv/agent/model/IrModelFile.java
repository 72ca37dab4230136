package io.mconv.agent.model;

import io.mconv.ir.Model;
import io.mconv.onnx.io.LoadedModel;
import java.nio.file.Path;
import java.util.Set;

/**
 * An ONNX file read into the IR, with the file-level facts the IR does not keep (where it came from, what its
 * external data files are). Closing it releases the external data files; the IR's tensors view their mappings.
 */
public final class IrModelFile implements AutoCloseable {

    private final Model model;
    private final LoadedModel loaded;

    IrModelFile(Model model, LoadedModel loaded) {
        this.model = model;
        this.loaded = loaded;
    }

    public Model model() {
        return model;
    }

    /** The parsed file, for file-level facts (external data locations, the raw proto). */
    public LoadedModel loaded() {
        return loaded;
    }

    public Path source() {
        return loaded.source();
    }

    /** The model file and its external data files: what a writer must never overwrite. */
    public Set<Path> inputFiles() {
        return loaded.inputFiles();
    }

    @Override
    public void close() {
        loaded.close();
    }
}
