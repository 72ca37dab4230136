package io.mconv.agent.model;

import io.mconv.ir.InvalidGraphException;
import io.mconv.ir.Model;
import io.mconv.ir.serde.ProtoImporter;
import io.mconv.limits.Limits;
import io.mconv.onnx.io.InvalidModelException;
import io.mconv.onnx.io.LoadedModel;
import io.mconv.onnx.io.ModelReader;
import java.nio.file.Path;

/**
 * Reads an ONNX file into the IR: the file reader refuses what is not a readable ONNX file, the importer refuses
 * what is not a sound graph. Every refusal becomes one {@link InvalidModelException} naming the file.
 */
public final class ModelLoader {

    private final ModelReader reader;
    private final Limits limits;

    public ModelLoader() {
        this(Limits.defaults());
    }

    /** A loader whose reader and importer both apply {@code limits}. */
    public ModelLoader(Limits limits) {
        this(new ModelReader(limits), limits);
    }

    public ModelLoader(ModelReader reader) {
        this(reader, Limits.defaults());
    }

    private ModelLoader(ModelReader reader, Limits limits) {
        this.reader = reader;
        this.limits = limits;
    }

    /** @throws InvalidModelException when the file or the graph in it is invalid */
    public IrModelFile load(Path file) {
        LoadedModel loaded = reader.read(file);
        try {
            Model model = ProtoImporter.importModel(loaded.model(), loaded::externalData, limits);
            return new IrModelFile(model, loaded);
        } catch (InvalidGraphException e) {
            loaded.close();
            throw new InvalidModelException(file, e.getMessage(), e);
        } catch (RuntimeException e) {
            loaded.close();
            throw e;
        }
    }
}
