package io.mconv.agent.runtime.ort;

import io.mconv.agent.runtime.ModelRunner;
import io.mconv.agent.runtime.RuntimeIsolation;
import io.mconv.ir.Model;
import io.mconv.ir.serde.ProtoExporter;
import io.mconv.onnx.proto.Onnx;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Opens a model in ONNX Runtime in this process or in a worker, as {@link RuntimeIsolation} says. */
public final class OrtRunners {

    private OrtRunners() {
    }

    public static ModelRunner open(Path file, OrtSessionConfig config, RuntimeIsolation isolation) {
        return isolation.enabled() ? IsolatedOrtRunner.open(file, config, isolation) : OrtModelRunner.open(file, config);
    }

    /**
     * An in-memory model; isolated, it is first written to a private temporary file for the worker to open (deleted
     * once the worker has it open: the worker keeps reading it through its own descriptor).
     */
    public static ModelRunner open(Model model, OrtSessionConfig config, RuntimeIsolation isolation) {
        if (!isolation.enabled()) {
            return OrtModelRunner.open(model, config);
        }
        Onnx.ModelProto proto = ProtoExporter.exportModel(model);
        if (proto.getSerializedSize() < 0) {
            throw new IllegalArgumentException("the model is 2 GiB or more, over protobuf's limit for one array; "
                    + "write it with external data and open the file instead");
        }
        Path file = null;
        try {
            file = Files.createTempFile("mconv-isolated-", ".onnx");
            try (OutputStream out = Files.newOutputStream(file)) {
                proto.writeTo(out);
            }
            return IsolatedOrtRunner.open(file, config, isolation);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot stage the model for an isolated onnxruntime", e);
        } finally {
            if (file != null) {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException ignored) {
                    // A leftover in the temporary folder is harmless.
                }
            }
        }
    }
}
