package io.mconv.onnx.io;

import java.nio.file.Path;

/**
 * A problem with a named file, told as one line {@code <file>: <reason>}. The subclasses say which side the file
 * is on (an input that is invalid, an output that cannot be written), which decides the CLI's exit code.
 */
public abstract class FileProblemException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final String reason;

    protected FileProblemException(Path file, String reason, Throwable cause) {
        super(ErrorLine.of(file, reason), cause);
        this.file = file;
        this.reason = reason;
    }

    /** The file concerned; null for a model read from bytes in memory. */
    public Path file() {
        return file;
    }

    /** The cause in words, without the file name. */
    public String reason() {
        return reason;
    }
}
