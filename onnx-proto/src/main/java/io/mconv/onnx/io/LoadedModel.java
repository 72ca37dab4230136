package io.mconv.onnx.io;

import io.mconv.onnx.proto.Onnx.ModelProto;
import io.mconv.onnx.proto.Onnx.TensorProto;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * A parsed model, where it came from, and the resolver of its external data (whose mappings are the only view of
 * weights that never touches the heap). Close it when done with the model to release the external data files.
 */
public final class LoadedModel implements AutoCloseable {
    private final ModelProto model;
    private final Path source;
    private final Path baseDir;
    private final ExternalDataResolver externalData;

    LoadedModel(ModelProto model, Path source, Path baseDir) {
        this.model = model;
        this.source = source;
        this.baseDir = baseDir;
        this.externalData = new ExternalDataResolver(source, baseDir);
    }

    public ModelProto model() {
        return model;
    }

    /** The file the model was read from, or null when it came from bytes in memory. */
    public Path source() {
        return source;
    }

    /** The folder external data is resolved against, or null for an in-memory model without one. */
    public Path baseDir() {
        return baseDir;
    }

    /** The resolver of this model's external data; closed with this holder. */
    public ExternalDataResolver externalData() {
        return externalData;
    }

    /** The bytes of an external tensor of this model (see {@link ExternalDataResolver#externalData}). */
    public ByteBuffer externalData(TensorProto tensor) {
        return externalData.externalData(tensor);
    }

    /**
     * The files a writer must not overwrite: the model file and every external data file its tensors name (the
     * ones that resolve; a refused location is reported when its data is read).
     */
    public Set<Path> inputFiles() {
        Set<Path> files = new LinkedHashSet<>();
        if (source != null) {
            files.add(source);
        }
        for (TensorProto t : ModelTensors.list(model)) {
            if (t.getDataLocation() == TensorProto.DataLocation.EXTERNAL) {
                try {
                    files.add(externalData.resolvePath(t));
                } catch (InvalidModelException e) {
                    // Nothing to protect: the location does not name a usable file inside the folder.
                }
            }
        }
        return Collections.unmodifiableSet(files);
    }

    @Override
    public void close() {
        externalData.close();
    }
}
