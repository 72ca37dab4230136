package io.mconv.torch.script;

/**
 * Turns the text between the quotes of a Python string or bytes literal into its value, applying backslash
 * escapes as Python does (unknown escapes keep their backslash; raw literals keep everything).
 */
final class StringLiteralDecoder {

    private StringLiteralDecoder() {
    }

    /** Thrown with a message naming the bad escape; the lexer adds the position. */
    static final class BadEscapeException extends Exception {
        private static final long serialVersionUID = 1L;

        BadEscapeException(String message) {
            super(message);
        }
    }

    /**
     * @param body  the characters between the quotes, with line breaks of triple-quoted literals already
     *              normalized to {@code \n}
     * @param raw   an {@code r} prefix: backslashes are kept as written
     * @param bytes a {@code b} prefix: only ASCII characters, no {@code \\u \\U \\N} escapes
     */
    static String decode(String body, boolean raw, boolean bytes) throws BadEscapeException {
        if (bytes) {
            for (int i = 0; i < body.length(); i++) {
                if (body.charAt(i) > 0x7f) {
                    throw new BadEscapeException("bytes can only contain ASCII literal characters");
                }
            }
        }
        if (raw || body.indexOf('\\') < 0) {
            return body;
        }
        StringBuilder out = new StringBuilder(body.length());
        int i = 0;
        while (i < body.length()) {
            char c = body.charAt(i);
            if (c != '\\' || i + 1 == body.length()) {
                out.append(c);
                i++;
                continue;
            }
            i = escape(body, i + 1, bytes, out);
        }
        return out.toString();
    }

    /** Decodes the escape whose letter is at {@code at}; returns the index after it. */
    private static int escape(String body, int at, boolean bytes, StringBuilder out) throws BadEscapeException {
        char e = body.charAt(at);
        switch (e) {
            case '\n':
                return at + 1; // backslash-newline continues the literal on the next line
            case '\\', '\'', '"':
                out.append(e);
                return at + 1;
            case 'a':
                out.append('\u0007');
                return at + 1;
            case 'b':
                out.append('\b');
                return at + 1;
            case 'f':
                out.append('\f');
                return at + 1;
            case 'n':
                out.append('\n');
                return at + 1;
            case 'r':
                out.append('\r');
                return at + 1;
            case 't':
                out.append('\t');
                return at + 1;
            case 'v':
                out.append('\u000b');
                return at + 1;
            case 'x':
                return hex(body, at + 1, 2, "\\x", out);
            default:
                break;
        }
        if (e >= '0' && e <= '7') {
            int end = at;
            int value = 0;
            while (end < body.length() && end < at + 3 && body.charAt(end) >= '0' && body.charAt(end) <= '7') {
                value = value * 8 + (body.charAt(end) - '0');
                end++;
            }
            out.append((char) value);
            return end;
        }
        if (!bytes && e == 'u') {
            return hex(body, at + 1, 4, "\\u", out);
        }
        if (!bytes && e == 'U') {
            return hex(body, at + 1, 8, "\\U", out);
        }
        if (!bytes && e == 'N') {
            return named(body, at + 1, out);
        }
        out.append('\\').append(e); // Python keeps unknown escapes as written
        return at + 1;
    }

    private static int hex(String body, int from, int digits, String escape, StringBuilder out)
            throws BadEscapeException {
        if (from + digits > body.length()) {
            throw new BadEscapeException("truncated " + escape + " escape: needs " + digits + " hex digits");
        }
        int value = 0;
        for (int i = from; i < from + digits; i++) {
            int d = Character.digit(body.charAt(i), 16);
            if (d < 0) {
                throw new BadEscapeException("truncated " + escape + " escape: needs " + digits + " hex digits");
            }
            value = value * 16 + d;
        }
        if (!Character.isValidCodePoint(value)) {
            throw new BadEscapeException(escape + " escape out of range: 0x" + Integer.toHexString(value));
        }
        out.appendCodePoint(value);
        return from + digits;
    }

    private static int named(String body, int from, StringBuilder out) throws BadEscapeException {
        int close = body.indexOf('}', from);
        if (from >= body.length() || body.charAt(from) != '{' || close < 0) {
            throw new BadEscapeException("malformed \\N{...} escape");
        }
        String name = body.substring(from + 1, close);
        try {
            out.appendCodePoint(Character.codePointOf(name));
        } catch (IllegalArgumentException unknown) {
            throw new BadEscapeException("unknown Unicode character name in \\N{" + name + "}");
        }
        return close + 1;
    }
}
