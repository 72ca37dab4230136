package io.mconv.agent.validation;

import io.mconv.agent.InvalidOptionException;

import java.nio.file.Path;
import java.util.Locale;

/** What a validation source is, told by its file name: a TorchScript file runs in libtorch, ONNX in ONNX Runtime. */
public enum SourceKind {
    TORCHSCRIPT("TorchScript"),
    ONNX("ONNX");

    private final String displayName;

    SourceKind(String displayName) {
        this.displayName = displayName;
    }

    public String displayName() {
        return displayName;
    }

    /** @throws InvalidOptionException for another extension (a usage error: the user picked the wrong file) */
    public static SourceKind of(Path file) {
        String name = file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".onnx")) {
            return ONNX;
        }
        if (name.endsWith(".pt") || name.endsWith(".pth") || name.endsWith(".torchscript")) {
            return TORCHSCRIPT;
        }
        throw new InvalidOptionException("cannot tell what " + file + " is: a validation source is a TorchScript "
                + "file (.pt, .pth, .torchscript) or an ONNX model (.onnx)");
    }
}
