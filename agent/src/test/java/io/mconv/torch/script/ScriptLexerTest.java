package io.mconv.torch.script;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigInteger;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ScriptLexerTest {

    private static List<Token> lex(String source) {
        return new ScriptLexer("t.py", source).tokenize();
    }

    /** Tokens as {@code NAME:x OP:( NEWLINE INDENT ...}, literal values shown decoded. */
    private static String kinds(String source) {
        return lex(source).stream().map(t -> switch (t.kind()) {
            case NAME, OP -> t.kind() + ":" + t.text();
            case INT, FLOAT, STRING, BYTES -> t.kind() + ":" + t.value();
            default -> t.kind().toString();
        }).collect(Collectors.joining(" "));
    }

    private static Token single(String source) {
        List<Token> tokens = lex(source);
        assertEquals(3, tokens.size(), () -> "one token, NEWLINE, END_OF_FILE expected: " + tokens);
        return tokens.get(0);
    }

    private static ScriptSyntaxException error(String source) {
        return assertThrows(ScriptSyntaxException.class, () -> lex(source));
    }

    // ---- indentation and lines

    @Test
    void indentationBecomesIndentAndDedentTokens() {
        assertEquals("NAME:if NAME:a OP:: NEWLINE INDENT NAME:b NEWLINE NAME:if NAME:c OP:: NEWLINE INDENT NAME:d "
                + "NEWLINE DEDENT DEDENT NAME:e NEWLINE END_OF_FILE", kinds("if a:\n  b\n  if c:\n    d\ne\n"));
    }

    @Test
    void dedentsToSeveralLevelsAtOnceAndAtEndOfFile() {
        assertEquals("NAME:a NEWLINE INDENT NAME:b NEWLINE INDENT NAME:c NEWLINE DEDENT DEDENT NAME:d NEWLINE "
                + "INDENT NAME:e NEWLINE DEDENT END_OF_FILE", kinds("a\n b\n   c\nd\n    e"));
    }

    @Test
    void blankAndCommentLinesDoNotChangeIndentation() {
        assertEquals("NAME:a NEWLINE INDENT NAME:b NEWLINE NAME:c NEWLINE DEDENT END_OF_FILE",
                kinds("a\n  b\n\n      \n# at column one\n        # deeper\n  c  # trailing\n"));
    }

    @Test
    void tabsAdvanceToTheNextMultipleOfEight() {
        assertEquals("NAME:a NEWLINE INDENT NAME:b NEWLINE NAME:c NEWLINE DEDENT END_OF_FILE",
                kinds("a\n\tb\n        c\n"));
    }

    @Test
    void bracketsJoinLinesAndIgnoreTheirIndentation() {
        assertEquals("NAME:f OP:( NAME:a OP:, NAME:b OP:[ INT:1 OP:] OP:) NEWLINE NAME:g NEWLINE END_OF_FILE",
                kinds("f(a,\n      b[\n1\n  ]  # comment\n\n)\ng\n"));
    }

    @Test
    void backslashContinuesTheLine() {
        assertEquals("NAME:x OP:= INT:1 OP:+ INT:2 NEWLINE END_OF_FILE", kinds("x = 1 + \\\n        2\n"));
    }

    @Test
    void crlfAndLoneCrAreLineBreaks() {
        List<Token> tokens = lex("a\r\n  b\rc");
        assertEquals("NAME:a NEWLINE INDENT NAME:b NEWLINE DEDENT NAME:c NEWLINE END_OF_FILE",
                kinds("a\r\n  b\rc"));
        assertEquals(3, tokens.get(6).pos().line());
        assertEquals(7, tokens.get(6).pos().offset());
    }

    @Test
    void emptyAndCommentOnlySourcesHaveOnlyEndOfFile() {
        assertEquals("END_OF_FILE", kinds(""));
        assertEquals("END_OF_FILE", kinds("\n\n   \n# nothing\n   # else"));
    }

    @Test
    void inconsistentDedentIsAnErrorAtTheLine() {
        ScriptSyntaxException e = error("a\n    b\n  c\n");
        assertEquals("t.py:3:3: unindent does not match any outer indentation level", e.getMessage());
    }

    // ---- strings

    @Test
    void stringQuotesAndEscapes() {
        assertEquals("it's", single("'it\\'s'").value());
        assertEquals("say \"hi\"", single("\"say \\\"hi\\\"\"").value());
        assertEquals("a\nb\tc\\d", single("'a\\nb\\tc\\\\d'").value());
        assertEquals("A\u00e9\u20ac\uD83D\uDE00", single("'\\x41\\u00e9\\u20AC\\U0001F600'").value());
        assertEquals("AA\u0000\u2022", single("'\\101\\x41\\0\\N{BULLET}'").value());
        assertEquals("\\q\\d", single("'\\q\\d'").value());
        assertEquals("\u0007\b\f\r\u000b", single("'\\a\\b\\f\\r\\v'").value());
    }

    @Test
    void rawStringsKeepBackslashes() {
        assertEquals("\\n\\x\\'", single("r'\\n\\x\\''").value());
        assertEquals("C:\\dir", single("R\"C:\\dir\"").value());
    }

    @Test
    void tripleQuotedStringsSpanLines() {
        List<Token> tokens = lex("x = '''one\n'two'\r\n\"three\"''' + \"\"\"a\\\nb\"\"\"\ny\n");
        assertEquals("one\n'two'\n\"three\"", tokens.get(2).value());
        assertEquals("ab", tokens.get(4).value());
        assertEquals(TokenKind.NEWLINE, tokens.get(5).kind());
        assertEquals(5, tokens.get(6).pos().line());
    }

    @Test
    void bytesLiteralsAreTheirOwnKind() {
        Token t = single("b'a\\x00\\u1234'");
        assertEquals(TokenKind.BYTES, t.kind());
        assertEquals("a\u0000\\u1234", t.value());
        assertEquals(TokenKind.BYTES, single("rb'\\x'").kind());
        assertEquals("\\x", single("Br'\\x'").value());
        assertEquals("u", single("u'u'").value());
    }

    @Test
    void badStringsAreErrorsAtTheirStart() {
        assertEquals("t.py:1:5: unterminated string literal (line break before the closing quote)",
                error("x = 'abc\n'").getMessage());
        assertEquals("t.py:2:1: unterminated string literal", error("x = 1\n'''abc\n").getMessage());
        assertEquals("t.py:1:1: truncated \\x escape: needs 2 hex digits", error("'\\x4'").getMessage());
        assertEquals("t.py:1:1: unknown Unicode character name in \\N{NO SUCH NAME}",
                error("'\\N{NO SUCH NAME}'").getMessage());
        assertEquals("t.py:1:1: f-strings are not supported (torch does not serialize them)",
                error("f'{x}'").getMessage());
        assertEquals("t.py:1:1: bytes can only contain ASCII literal characters", error("b'\u00e9'").getMessage());
    }

    // ---- numbers

    @Test
    void integersInEveryRadixWithUnderscores() {
        assertEquals(BigInteger.valueOf(1_000_000), single("1_000_000").value());
        assertEquals(BigInteger.valueOf(255), single("0xFF").value());
        assertEquals(BigInteger.valueOf(255), single("0x_f_f").value());
        assertEquals(BigInteger.valueOf(10), single("0b1010").value());
        assertEquals(BigInteger.valueOf(15), single("0o17").value());
        assertEquals(BigInteger.ZERO, single("0").value());
        assertEquals(new BigInteger("123456789012345678901234567890"),
                single("123456789012345678901234567890").value());
    }

    @Test
    void floatsAsTorchWritesThem() {
        assertEquals(TokenKind.FLOAT, single("1.0").kind());
        assertEquals(1.0, single("1.").value());
        assertEquals(1e-05, single("1e-05").value());
        assertEquals(0.1, single("0.10000000000000001").value());
        assertEquals(0.5, single(".5").value());
        assertEquals(1000.0, single("1E3").value());
        assertEquals(25.0, single("2_5.0").value());
        assertEquals(1.5e300, single("1.5e+300").value());
    }

    @Test
    void infAndNanStayNamesAndCalls() {
        assertEquals("NAME:float OP:( STRING:inf OP:) NEWLINE END_OF_FILE", kinds("float(\"inf\")"));
        assertEquals("NAME:nan NEWLINE END_OF_FILE", kinds("nan"));
    }

    @Test
    void attributeAfterIntegerIsNotAFloat() {
        assertEquals("NAME:x OP:[ INT:1 OP:: INT:2 OP:] NEWLINE END_OF_FILE", kinds("x[1:2]"));
        assertEquals("FLOAT:1.0 NAME:e NEWLINE END_OF_FILE", kinds("1. e"));
    }

    @Test
    void badNumbersAreErrors() {
        assertEquals("t.py:1:5: invalid number literal '1a'", error("x = 1a").getMessage());
        assertEquals("t.py:1:1: complex literals are not supported", error("2j").getMessage());
        assertEquals("t.py:1:1: invalid number literal: digits expected", error("0x").getMessage());
        assertEquals("t.py:1:1: invalid number literal '1_'", error("1__0").getMessage());
    }

    // ---- operators

    @Test
    void longestOperatorWins() {
        assertEquals("OP:-> OP:** OP:// OP:<< OP:>> OP:!= OP:== OP:<= OP:>= OP:@ OP:**= OP://= OP:>>= OP:<<= "
                + "OP:+= OP:~ OP:% OP:& OP:| OP:^ OP:; NEWLINE END_OF_FILE",
                kinds("-> ** // << >> != == <= >= @ **= //= >>= <<= += ~ % & | ^ ;"));
    }

    @Test
    void quotesRightAtTheEndOfTheInput() {
        assertEquals("x", single("'''x'''").value());
        assertEquals("", single("''").value());
        assertEquals("a''b", single("'''a''b'''").value());
        assertEquals("t.py:1:1: unterminated string literal", error("'''x''").getMessage());
    }

    @Test
    void everyOperatorIsOneTokenEvenAtTheEndOfTheInput() {
        // Operators are matched char by char, looking up to two chars ahead: each one alone tests that look-ahead
        // past the end of the source.
        List<String> operators = List.of("+", "-", "*", "/", "%", "@", "&", "|", "^", "~", "<", ">", ",", ":", ".",
                ";", "=", "->", "**", "//", "<<", ">>", "<=", ">=", "==", "!=", "+=", "-=", "*=", "/=", "%=", "&=",
                "|=", "^=", "@=", ":=", "**=", "//=", ">>=", "<<=", "...");
        for (String op : operators) {
            Token t = single(op);
            assertEquals(TokenKind.OP, t.kind(), op);
            assertEquals(op, t.text());
        }
        assertEquals("OP:( OP:[ OP:{ OP:} OP:] OP:) NEWLINE END_OF_FILE", kinds("([{}])"));
    }

    @Test
    void adjacentOperatorsSplitLongestFirst() {
        assertEquals("NAME:a OP:** OP:- NAME:b OP://= NAME:c OP:<<= NAME:d OP:-> NAME:e OP:. OP:. NAME:f OP:... "
                + "OP:!= OP:= OP:>> OP:> NEWLINE END_OF_FILE", kinds("a**-b//=c<<=d->e..f...!==>>>"));
    }

    @Test
    void bracketMistakesAreErrors() {
        assertEquals("t.py:1:4: unmatched ')'", error("f()) ").getMessage());
        assertEquals("t.py:1:5: closing ']' does not match opening '(' at 1:2", error("f(a ]").getMessage());
        assertEquals("t.py:2:3: '[' was never closed", error("x = 1\ny [1,\n 2\n").getMessage());
        assertEquals("t.py:1:3: unexpected character '$' (U+0024)", error("a $ b").getMessage());
        assertEquals("t.py:1:3: unexpected character '!' (U+0021)", error("a ! b").getMessage());
        assertEquals("t.py:1:5: unexpected character after line continuation '\\'", error("a + \\ b").getMessage());
    }

    // ---- positions

    @Test
    void positionsCountLinesColumnsAndUtf8Bytes() {
        // é is 2 UTF-8 bytes, € 3, 😀 4 (a surrogate pair in Java); columns count code points
        List<Token> tokens = lex("s = '\u00e9\u20ac\uD83D\uDE00'  # \u00e9\n  x\n\u00e9t\u00e9 = 1\n");
        Token s = tokens.get(0);
        Token string = tokens.get(2);
        Token x = tokens.get(5);
        Token name = tokens.get(8);
        Token one = tokens.get(10);
        assertEquals(new SourcePos("t.py", 1, 1, 0), s.pos());
        assertEquals(new SourcePos("t.py", 1, 5, 4), string.pos());
        // line 1 is 22 bytes: "s = ' (5), the three chars (9),   # " (5), é (2), the line break (1)
        assertEquals(new SourcePos("t.py", 2, 3, 24), x.pos());
        assertEquals("\u00e9t\u00e9", name.text());
        assertEquals(new SourcePos("t.py", 3, 1, 26), name.pos());
        assertEquals(new SourcePos("t.py", 3, 7, 34), one.pos());
    }

    @Test
    void endOfFileTokensSitAtTheEnd() {
        List<Token> tokens = lex("a\n  b");
        Token end = tokens.get(tokens.size() - 1);
        assertEquals(TokenKind.END_OF_FILE, end.kind());
        assertEquals(new SourcePos("t.py", 2, 4, 5), end.pos());
    }
}
