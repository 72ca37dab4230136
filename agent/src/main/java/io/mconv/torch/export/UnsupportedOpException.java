package io.mconv.torch.export;

import io.mconv.torch.script.SourcePos;

/** An operator the exporter has no symbolic for at the target opset (or no builtin). */
public final class UnsupportedOpException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String op;
    private final transient SourcePos pos;
    private final String reason;

    public UnsupportedOpException(String op, SourcePos pos, String reason) {
        super((pos == null ? "" : pos + ": ") + op + ": " + reason);
        this.op = op;
        this.pos = pos;
        this.reason = reason;
    }

    public String op() {
        return op;
    }

    public SourcePos pos() {
        return pos;
    }

    public String reason() {
        return reason;
    }
}
