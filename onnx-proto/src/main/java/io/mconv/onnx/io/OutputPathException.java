package io.mconv.onnx.io;

import java.nio.file.Path;

/**
 * The output cannot be written where or how it was asked (it would overwrite the input, the folder is missing,
 * the model is too large for an inline file). The CLI maps this to exit code 2 (usage).
 */
public final class OutputPathException extends FileProblemException {
    private static final long serialVersionUID = 1L;

    public OutputPathException(Path file, String reason) {
        this(file, reason, null);
    }

    public OutputPathException(Path file, String reason, Throwable cause) {
        super(file, reason, cause);
    }
}
