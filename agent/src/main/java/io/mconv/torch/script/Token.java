package io.mconv.torch.script;

/**
 * One token: its kind, its source text (for literals, the text as written with quotes or prefixes), its decoded
 * value for literals (null otherwise) and where it starts.
 */
public record Token(TokenKind kind, String text, Object value, SourcePos pos) {

    public boolean isOp(String op) {
        return kind == TokenKind.OP && text.equals(op);
    }

    public boolean isName(String name) {
        return kind == TokenKind.NAME && text.equals(name);
    }

    /** How error messages name this token. */
    public String describe() {
        return switch (kind) {
            case NEWLINE -> "end of line";
            case INDENT -> "indent";
            case DEDENT -> "dedent";
            case END_OF_FILE -> "end of file";
            default -> "'" + abbreviate(text) + "'";
        };
    }

    private static String abbreviate(String s) {
        String oneLine = s.replace("\n", "\\n").replace("\r", "\\r");
        return oneLine.length() <= 40 ? oneLine : oneLine.substring(0, 37) + "...";
    }
}
