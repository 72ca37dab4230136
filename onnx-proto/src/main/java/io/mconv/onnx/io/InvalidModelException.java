package io.mconv.onnx.io;

import java.nio.file.Path;

/**
 * The input model cannot be read or is not a valid ONNX model. The CLI maps this to exit code 3.
 *
 * <p>The message is always one line, {@code <file>: <reason>}, because it is what the user sees; the cause (if
 * any) is kept for {@code --verbose}.
 */
public final class InvalidModelException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final String reason;

    public InvalidModelException(Path file, String reason) {
        this(file, reason, null);
    }

    public InvalidModelException(Path file, String reason, Throwable cause) {
        super(ErrorLine.of(file, reason), cause);
        this.file = file;
        this.reason = reason;
    }

    /** The model file, or {@code null} when the model came from bytes in memory. */
    public Path file() {
        return file;
    }

    /** The cause in words, without the file name. */
    public String reason() {
        return reason;
    }
}
