package io.mconv.agent.model;

import io.mconv.ir.Model;
import io.mconv.ir.serde.ProtoExporter;
import io.mconv.onnx.io.BeforeCommit;
import io.mconv.onnx.io.ModelWriter;
import io.mconv.onnx.io.WriteOptions;
import io.mconv.onnx.io.WriteResult;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Writes an IR model to a file through the atomic writer. Weights that were memory-mapped from external data are
 * streamed from their mappings, not copied onto the heap; whether the output keeps weights inline or in a data
 * file is the {@link WriteOptions}' policy (AUTO goes external when the file would pass 2 GiB).
 */
public final class ModelSaver {

    /**
     * @param options policy, threshold and protected paths; its {@code source} is replaced by the export's own
     * @throws io.mconv.onnx.io.OutputPathException when the output would overwrite a protected input file
     */
    public WriteResult save(Model model, Path out, WriteOptions options) throws IOException {
        ProtoExporter.Export export = ProtoExporter.exportForWriting(model);
        return save(model, out, options, staged -> { });
    }

    /**
     * Saves as {@link #save(Model, Path, WriteOptions)} does, calling {@code beforeCommit} on the complete files
     * before they replace {@code out}; when it throws nothing is written.
     */
    public WriteResult save(Model model, Path out, WriteOptions options, BeforeCommit beforeCommit)
            throws IOException {
        ProtoExporter.Export export = ProtoExporter.exportForWriting(model);
        return new ModelWriter().write(export.model(), out, options.withSource(export.buffers()), beforeCommit);
    }
}
