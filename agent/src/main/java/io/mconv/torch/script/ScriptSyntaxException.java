package io.mconv.torch.script;

/**
 * Serialized TorchScript that the lexer or parser cannot read. The message is one line,
 * {@code file:line:col: what}, so a CLI can print it as is; {@link #pos()} and {@link #what()} give the parts.
 */
public final class ScriptSyntaxException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient SourcePos pos;
    private final String what;

    public ScriptSyntaxException(SourcePos pos, String what) {
        super(pos + ": " + what.replace('\n', ' ').replace('\r', ' '));
        this.pos = pos;
        this.what = what;
    }

    public SourcePos pos() {
        return pos;
    }

    public String what() {
        return what;
    }
}
