package io.mconv.torch.export;

import io.mconv.torch.script.SourcePos;

/**
 * The model cannot be exported: a construct or value the lowering does not handle. The message names the place in
 * the archive's serialized code ({@code code/__torch__/x.py:12:5}) and what went wrong.
 */
public final class ExportException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient SourcePos pos;

    public ExportException(SourcePos pos, String message, Throwable cause) {
        super((pos == null ? "" : pos + ": ") + message, cause);
        this.pos = pos;
    }

    public SourcePos pos() {
        return pos;
    }
}
