package io.mconv.torch.script;

import java.math.BigInteger;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Splits serialized TorchScript (a Python subset) into tokens, the way Python's tokenizer does: INDENT and
 * DEDENT from leading whitespace, NEWLINE only at the end of logical lines (not inside brackets nor after a
 * {@code \} continuation), comments and blank lines dropped. Every token knows its line, column (1-based, in
 * code points) and UTF-8 byte offset, because torch's debug info maps byte ranges of this text.
 */
public final class ScriptLexer {

    private static final int TAB_WIDTH = 8;

    private final String file;
    private final String src;
    private final List<Token> tokens = new ArrayList<>();
    private final Deque<Integer> indents = new ArrayDeque<>();
    private final Deque<Token> openBrackets = new ArrayDeque<>();

    private int index;
    private int line = 1;
    private int column = 1;
    private int byteOffset;

    public ScriptLexer(String file, String source) {
        this.file = file;
        this.src = source;
    }

    /** Tokenizes the whole source; the list ends with NEWLINE (if any tokens), DEDENTs and END_OF_FILE. */
    public List<Token> tokenize() {
        indents.push(0);
        boolean atLineStart = true;
        while (true) {
            if (atLineStart && openBrackets.isEmpty()) {
                if (!readIndentation()) {
                    break;
                }
                atLineStart = false;
            }
            if (index >= src.length()) {
                break;
            }
            char c = src.charAt(index);
            if (c == ' ' || c == '\t' || c == '\f') {
                advance();
            } else if (c == '#') {
                skipComment();
            } else if (isNewline(c)) {
                if (openBrackets.isEmpty()) {
                    add(TokenKind.NEWLINE, "\n", null, here());
                    atLineStart = true;
                }
                skipNewline();
            } else if (c == '\\') {
                SourcePos at = here();
                advance();
                if (index >= src.length() || !isNewline(src.charAt(index))) {
                    throw new ScriptSyntaxException(at, "unexpected character after line continuation '\\'");
                }
                skipNewline();
            } else if (startsString()) {
                readString();
            } else if (Character.isDigit(c) || (c == '.' && index + 1 < src.length()
                    && Character.isDigit(src.charAt(index + 1)))) {
                readNumber();
            } else if (isIdentifierStart(src.codePointAt(index))) {
                readName();
            } else {
                readOperator();
            }
        }
        finish();
        return List.copyOf(tokens);
    }

    /**
     * Measures the indentation of the next non-blank line and emits INDENT/DEDENT; blank and comment-only lines
     * are skipped. Returns false at end of input.
     */
    private boolean readIndentation() {
        while (true) {
            int width = 0;
            while (index < src.length()) {
                char c = src.charAt(index);
                if (c == ' ') {
                    width++;
                } else if (c == '\t') {
                    width = (width / TAB_WIDTH + 1) * TAB_WIDTH;
                } else if (c == '\f') {
                    width = 0; // Python resets the count at a form feed
                } else {
                    break;
                }
                advance();
            }
            if (index >= src.length()) {
                return false;
            }
            char c = src.charAt(index);
            if (c == '#') {
                skipComment();
                if (index >= src.length()) {
                    return false;
                }
            }
            if (isNewline(src.charAt(index))) {
                skipNewline();
                continue;
            }
            SourcePos at = here();
            if (width > indents.peek()) {
                indents.push(width);
                add(TokenKind.INDENT, "", null, at);
            } else {
                while (width < indents.peek()) {
                    indents.pop();
                    add(TokenKind.DEDENT, "", null, at);
                }
                if (width != indents.peek()) {
                    throw new ScriptSyntaxException(at, "unindent does not match any outer indentation level");
                }
            }
            return true;
        }
    }

    private void finish() {
        if (!openBrackets.isEmpty()) {
            Token open = openBrackets.peek();
            throw new ScriptSyntaxException(open.pos(), "'" + open.text() + "' was never closed");
        }
        SourcePos end = here();
        if (!tokens.isEmpty() && tokens.get(tokens.size() - 1).kind() != TokenKind.NEWLINE
                && tokens.get(tokens.size() - 1).kind() != TokenKind.DEDENT) {
            add(TokenKind.NEWLINE, "", null, end);
        }
        while (indents.peek() > 0) {
            indents.pop();
            add(TokenKind.DEDENT, "", null, end);
        }
        add(TokenKind.END_OF_FILE, "", null, end);
    }

    private void readName() {
        SourcePos at = here();
        int start = index;
        while (index < src.length() && isIdentifierPart(src.codePointAt(index))) {
            if (Character.isHighSurrogate(src.charAt(index))) {
                advance(); // the pair's second half follows
            }
            advance();
        }
        add(TokenKind.NAME, src.substring(start, index), null, at);
    }

    private void readOperator() {
        SourcePos at = here();
        String op = matchOperator();
        if (op == null) {
            int cp = src.codePointAt(index);
            throw new ScriptSyntaxException(at, "unexpected character '" + new String(Character.toChars(cp))
                    + "' (U+" + String.format("%04X", cp) + ")");
        }
        char first = src.charAt(index);
        for (int i = 0; i < op.length(); i++) {
            advance();
        }
        Token token = add(TokenKind.OP, op, null, at);
        if (op.length() == 1 && isOpeningBracket(first)) {
            openBrackets.push(token);
        } else if (op.length() == 1 && isClosingBracket(first)) {
            closeBracket(token);
        }
    }

    /**
     * The longest operator at the current position, or null. It looks at chars, not at substrings: this runs for
     * every operator in the file, and under the fuzzer every String.startsWith/equals that fails is traced (both
     * sides encoded and handed to libFuzzer), which made trying two dozen candidates per operator the cost of a
     * parse. The returned texts are constants, so tokens of the same operator share one string.
     */
    private String matchOperator() {
        char c = src.charAt(index);
        char next = charAt(index + 1);
        boolean assign = next == '=';
        switch (c) {
            case '*', '/', '<', '>' -> {
                // doubled (** // << >>), then with or without a trailing '='
                if (next == c) {
                    boolean doubledAssign = charAt(index + 2) == '=';
                    return switch (c) {
                        case '*' -> doubledAssign ? "**=" : "**";
                        case '/' -> doubledAssign ? "//=" : "//";
                        case '<' -> doubledAssign ? "<<=" : "<<";
                        default -> doubledAssign ? ">>=" : ">>";
                    };
                }
                return switch (c) {
                    case '*' -> assign ? "*=" : "*";
                    case '/' -> assign ? "/=" : "/";
                    case '<' -> assign ? "<=" : "<";
                    default -> assign ? ">=" : ">";
                };
            }
            case '.' -> {
                return next == '.' && charAt(index + 2) == '.' ? "..." : ".";
            }
            case '-' -> {
                return next == '>' ? "->" : assign ? "-=" : "-";
            }
            case '+' -> {
                return assign ? "+=" : "+";
            }
            case '%' -> {
                return assign ? "%=" : "%";
            }
            case '&' -> {
                return assign ? "&=" : "&";
            }
            case '|' -> {
                return assign ? "|=" : "|";
            }
            case '^' -> {
                return assign ? "^=" : "^";
            }
            case '@' -> {
                return assign ? "@=" : "@";
            }
            case '=' -> {
                return assign ? "==" : "=";
            }
            case ':' -> {
                return assign ? ":=" : ":";
            }
            case '!' -> {
                return assign ? "!=" : null;
            }
            case '~' -> {
                return "~";
            }
            case '(' -> {
                return "(";
            }
            case ')' -> {
                return ")";
            }
            case '[' -> {
                return "[";
            }
            case ']' -> {
                return "]";
            }
            case '{' -> {
                return "{";
            }
            case '}' -> {
                return "}";
            }
            case ',' -> {
                return ",";
            }
            case ';' -> {
                return ";";
            }
            default -> {
                return null;
            }
        }
    }

    private static boolean isOpeningBracket(char c) {
        return c == '(' || c == '[' || c == '{';
    }

    private static boolean isClosingBracket(char c) {
        return c == ')' || c == ']' || c == '}';
    }

    private void closeBracket(Token close) {
        if (openBrackets.isEmpty()) {
            throw new ScriptSyntaxException(close.pos(), "unmatched '" + close.text() + "'");
        }
        Token open = openBrackets.pop();
        char expected = switch (open.text().charAt(0)) {
            case '(' -> ')';
            case '[' -> ']';
            default -> '}';
        };
        if (close.text().charAt(0) != expected) {
            throw new ScriptSyntaxException(close.pos(), "closing '" + close.text()
                    + "' does not match opening '" + open.text() + "' at " + open.pos().line() + ":"
                    + open.pos().column());
        }
    }

    // ---- numbers

    private void readNumber() {
        SourcePos at = here();
        int start = index;
        char c = src.charAt(index);
        char radixLetter = index + 1 < src.length() ? Character.toLowerCase(src.charAt(index + 1)) : 0;
        if (c == '0' && (radixLetter == 'x' || radixLetter == 'o' || radixLetter == 'b')) {
            int radix = radixLetter == 'x' ? 16 : radixLetter == 'o' ? 8 : 2;
            advance();
            advance();
            if (index < src.length() && src.charAt(index) == '_') {
                advance(); // 0x_ff is legal Python
            }
            readDigits(at, radix);
            String text = src.substring(start, index);
            rejectTrailingIdentifier(at, text);
            add(TokenKind.INT, text, new BigInteger(text.substring(2).replace("_", ""), radix), at);
            return;
        }
        boolean isFloat = false;
        if (c != '.') {
            readDigits(at, 10);
        }
        if (index < src.length() && src.charAt(index) == '.') {
            isFloat = true;
            advance();
            if (index < src.length() && Character.isDigit(src.charAt(index))) {
                readDigits(at, 10);
            }
        }
        if (index < src.length() && (src.charAt(index) == 'e' || src.charAt(index) == 'E')) {
            int next = index + 1 < src.length() && (src.charAt(index + 1) == '+' || src.charAt(index + 1) == '-')
                    ? index + 2 : index + 1;
            if (next < src.length() && Character.isDigit(src.charAt(next))) {
                isFloat = true;
                while (index < next) {
                    advance();
                }
                readDigits(at, 10);
            }
        }
        String text = src.substring(start, index);
        rejectTrailingIdentifier(at, text);
        String digits = text.replace("_", "");
        if (isFloat) {
            add(TokenKind.FLOAT, text, Double.parseDouble(digits), at);
        } else {
            add(TokenKind.INT, text, new BigInteger(digits), at);
        }
    }

    /** Digits of the radix with single underscores between them, at least one digit. */
    private void readDigits(SourcePos numberStart, int radix) {
        int count = 0;
        while (index < src.length()) {
            char c = src.charAt(index);
            if (Character.digit(c, radix) >= 0 && c < 0x80) {
                count++;
                advance();
            } else if (c == '_' && count > 0 && index + 1 < src.length()
                    && Character.digit(src.charAt(index + 1), radix) >= 0) {
                advance();
            } else {
                break;
            }
        }
        if (count == 0) {
            throw new ScriptSyntaxException(numberStart, "invalid number literal: digits expected");
        }
    }

    private void rejectTrailingIdentifier(SourcePos at, String text) {
        if (index < src.length() && isIdentifierPart(src.codePointAt(index))) {
            char c = src.charAt(index);
            String why = c == 'j' || c == 'J' ? "complex literals are not supported"
                    : "invalid number literal '" + text + c + "'";
            throw new ScriptSyntaxException(at, why);
        }
    }

    // ---- strings

    /** A quote, or up to two prefix letters (r, b, u, f in any case) followed by a quote. */
    private boolean startsString() {
        int i = index;
        while (i < src.length() && i - index < 2 && "rRbBuUfF".indexOf(src.charAt(i)) >= 0) {
            i++;
        }
        return i < src.length() && (src.charAt(i) == '\'' || src.charAt(i) == '"');
    }

    private void readString() {
        SourcePos at = here();
        int start = index;
        String prefix = "";
        while (src.charAt(index) != '\'' && src.charAt(index) != '"') {
            prefix += Character.toLowerCase(src.charAt(index));
            advance();
        }
        if (prefix.contains("f")) {
            throw new ScriptSyntaxException(at, "f-strings are not supported (torch does not serialize them)");
        }
        boolean raw = prefix.contains("r");
        boolean bytes = prefix.contains("b");
        if (prefix.length() == 2 && !(raw && bytes)) {
            throw new ScriptSyntaxException(at, "invalid string prefix '" + prefix + "'");
        }
        char quote = src.charAt(index);
        boolean triple = isTripleQuote(quote);
        int quoteLength = triple ? 3 : 1;
        for (int i = 0; i < quoteLength; i++) {
            advance();
        }
        StringBuilder body = new StringBuilder();
        while (true) {
            if (index >= src.length()) {
                throw new ScriptSyntaxException(at, "unterminated string literal");
            }
            char c = src.charAt(index);
            if (c == quote && (!triple || isTripleQuote(quote))) {
                for (int i = 0; i < quoteLength; i++) {
                    advance();
                }
                break;
            }
            if (isNewline(c)) {
                if (!triple) {
                    throw new ScriptSyntaxException(at, "unterminated string literal (line break before the "
                            + "closing quote)");
                }
                body.append('\n');
                skipNewline();
            } else if (c == '\\' && index + 1 < src.length()) {
                // the escaped character never ends the literal, even in a raw one
                body.append(c);
                advance();
                if (isNewline(src.charAt(index))) {
                    body.append('\n');
                    skipNewline();
                } else {
                    body.append(src.charAt(index));
                    advance();
                }
            } else {
                body.append(c);
                advance();
            }
        }
        String value;
        try {
            value = StringLiteralDecoder.decode(body.toString(), raw, bytes);
        } catch (StringLiteralDecoder.BadEscapeException e) {
            throw new ScriptSyntaxException(at, e.getMessage());
        }
        add(bytes ? TokenKind.BYTES : TokenKind.STRING, src.substring(start, index), value, at);
    }

    /** Three {@code quote}s from the current position (chars compared one by one, see matchOperator). */
    private boolean isTripleQuote(char quote) {
        return charAt(index) == quote && charAt(index + 1) == quote && charAt(index + 2) == quote;
    }

    // ---- characters and positions

    /** The char at {@code i}, or NUL past the end (NUL never continues an operator or a quote run). */
    private char charAt(int i) {
        return i < src.length() ? src.charAt(i) : '\0';
    }

    private void skipComment() {
        while (index < src.length() && !isNewline(src.charAt(index))) {
            advance();
        }
    }

    /** Consumes one line break: \n, \r\n or a lone \r. */
    private void skipNewline() {
        if (src.charAt(index) == '\r' && index + 1 < src.length() && src.charAt(index + 1) == '\n') {
            index++;
            byteOffset++;
        }
        index++;
        byteOffset++;
        line++;
        column = 1;
    }

    /** Moves past one char that is not a line break. */
    private void advance() {
        char c = src.charAt(index);
        index++;
        if (c < 0x80) {
            byteOffset += 1;
        } else if (c < 0x800) {
            byteOffset += 2;
        } else if (Character.isSurrogate(c)) {
            byteOffset += 2; // a surrogate pair is 4 UTF-8 bytes, counted half per char
        } else {
            byteOffset += 3;
        }
        if (!Character.isLowSurrogate(c)) {
            column++;
        }
    }

    private static boolean isNewline(char c) {
        return c == '\n' || c == '\r';
    }

    private static boolean isIdentifierStart(int cp) {
        return cp == '_' || (cp < 0x80 ? Character.isLetter(cp) : Character.isUnicodeIdentifierStart(cp));
    }

    private static boolean isIdentifierPart(int cp) {
        return cp == '_' || (cp < 0x80 ? Character.isLetterOrDigit(cp) : Character.isUnicodeIdentifierPart(cp));
    }

    private SourcePos here() {
        return new SourcePos(file, line, column, byteOffset);
    }

    private Token add(TokenKind kind, String text, Object value, SourcePos pos) {
        Token token = new Token(kind, text, value, pos);
        tokens.add(token);
        return token;
    }
}
