package io.mconv.ir.serde;

import io.mconv.ir.Model;

/**
 * An independent copy of a model (the optimizer keeps the original to validate against and to bisect). Weights are
 * not duplicated: the copy's tensors view the same bytes, which are immutable.
 */
public final class ModelCopier {

    private ModelCopier() {
    }

    public static Model copy(Model model) {
        ProtoExporter.Export export = ProtoExporter.exportForWriting(model);
        return ProtoImporter.importModel(export.model(), export.buffers()::externalData);
    }
}
