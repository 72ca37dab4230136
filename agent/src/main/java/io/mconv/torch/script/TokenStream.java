package io.mconv.torch.script;

import java.util.List;
import java.util.Set;

/** A cursor over the lexer's tokens with the look-ahead and expectation helpers the parsers share. */
final class TokenStream {

    /** Python's reserved words: never a variable name, so never a {@link Expr.Name}. */
    static final Set<String> KEYWORDS = Set.of("False", "None", "True", "and", "as", "assert", "async", "await",
            "break", "class", "continue", "def", "del", "elif", "else", "except", "finally", "for", "from", "global",
            "if", "import", "in", "is", "lambda", "nonlocal", "not", "or", "pass", "raise", "return", "try",
            "while", "with", "yield");

    private final List<Token> tokens;
    private int index;

    TokenStream(List<Token> tokens) {
        this.tokens = tokens;
    }

    Token peek() {
        return tokens.get(index);
    }

    /** The token {@code ahead} places after the current one (END_OF_FILE past the end). */
    Token peek(int ahead) {
        return tokens.get(Math.min(index + ahead, tokens.size() - 1));
    }

    Token next() {
        Token t = tokens.get(index);
        if (t.kind() != TokenKind.END_OF_FILE) {
            index++;
        }
        return t;
    }

    boolean atOp(String op) {
        return peek().isOp(op);
    }

    boolean atKeyword(String keyword) {
        return peek().isName(keyword);
    }

    boolean at(TokenKind kind) {
        return peek().kind() == kind;
    }

    boolean acceptOp(String op) {
        if (atOp(op)) {
            next();
            return true;
        }
        return false;
    }

    boolean acceptKeyword(String keyword) {
        if (atKeyword(keyword)) {
            next();
            return true;
        }
        return false;
    }

    Token expectOp(String op) {
        if (!atOp(op)) {
            throw unexpected("'" + op + "'");
        }
        return next();
    }

    Token expectKeyword(String keyword) {
        if (!atKeyword(keyword)) {
            throw unexpected("'" + keyword + "'");
        }
        return next();
    }

    Token expect(TokenKind kind, String what) {
        if (!at(kind)) {
            throw unexpected(what);
        }
        return next();
    }

    /** An identifier that is not a keyword. */
    Token expectIdentifier(String what) {
        Token t = peek();
        if (t.kind() != TokenKind.NAME || KEYWORDS.contains(t.text())) {
            throw unexpected(what);
        }
        return next();
    }

    ScriptSyntaxException unexpected(String expected) {
        Token t = peek();
        return new ScriptSyntaxException(t.pos(), "expected " + expected + " but found " + t.describe());
    }

    static ScriptSyntaxException error(Token at, String what) {
        return new ScriptSyntaxException(at.pos(), what);
    }
}
