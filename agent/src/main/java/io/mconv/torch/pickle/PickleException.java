package io.mconv.torch.pickle;

/**
 * The one error for a pickle that cannot be read safely: malformed (stack underflow, truncated opcode, dangling
 * memo reference, invalid UTF-8, nesting too deep, unknown opcode) or asking for something the allowlist refuses.
 * It carries the byte offset of the opcode where reading stopped, so a report can point into the file.
 */
public class PickleException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final long offset;
    private final String reason;

    public PickleException(long offset, String reason) {
        this(offset, reason, null);
    }

    public PickleException(long offset, String reason, Throwable cause) {
        super("byte " + offset + ": " + reason, cause);
        this.offset = offset;
        this.reason = reason;
    }

    /** Offset of the opcode being read, from the start of the pickle. */
    public long offset() {
        return offset;
    }

    /** The cause in words, without the offset. */
    public String reason() {
        return reason;
    }
}
