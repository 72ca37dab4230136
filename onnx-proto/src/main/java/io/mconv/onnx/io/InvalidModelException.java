package io.mconv.onnx.io;

import java.nio.file.Path;

/**
 * The input model cannot be read or is not a valid ONNX model. The CLI maps this to exit code 3.
 *
 * <p>The message is always one line, {@code <file>: <reason>}, because it is what the user sees; the cause (if
 * any) is kept for {@code --verbose}.
 */
public final class InvalidModelException extends FileProblemException {
    private static final long serialVersionUID = 1L;

    public InvalidModelException(Path file, String reason) {
        this(file, reason, null);
    }

    public InvalidModelException(Path file, String reason, Throwable cause) {
        super(file, reason, cause);
    }
}
