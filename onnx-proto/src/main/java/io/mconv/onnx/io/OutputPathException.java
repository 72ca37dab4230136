package io.mconv.onnx.io;

import java.nio.file.Path;

/**
 * The output cannot be written where or how it was asked (it would overwrite the input, the folder is missing,
 * the model is too large for an inline file). The CLI maps this to exit code 2 (usage).
 */
public final class OutputPathException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final String reason;

    public OutputPathException(Path file, String reason) {
        this(file, reason, null);
    }

    public OutputPathException(Path file, String reason, Throwable cause) {
        super(ErrorLine.of(file, reason), cause);
        this.file = file;
        this.reason = reason;
    }

    /** The output path concerned (never null for a write). */
    public Path file() {
        return file;
    }

    /** The cause in words, without the file name. */
    public String reason() {
        return reason;
    }
}
