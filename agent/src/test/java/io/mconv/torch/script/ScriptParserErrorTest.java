package io.mconv.torch.script;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Bad input: each error names the file, line and column of the culprit; limits hold. */
class ScriptParserErrorTest {

    private static ScriptSyntaxException error(String source) {
        return assertThrows(ScriptSyntaxException.class, () -> ScriptParser.parse("bad.py", source));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiterString = "=>", quoteCharacter = '`', value = {
        "def f(x)\\n  pass                 => bad.py:1:9: expected ':' but found end of line",
        "def f(x):\\npass                  => bad.py:2:1: expected an indented block after 'def' on line 1 but found 'pass'",
        "x = 1\\n  y = 2                   => bad.py:2:3: unexpected indent",
        "class A:\\n  x = 1\\n    y = 2     => bad.py:3:5: unexpected indent",
        "x = (1 + )                        => bad.py:1:10: expected an expression but found ')'",
        "x = [1 2]                         => bad.py:1:8: expected ',' or ']' to close the '[' at 1:5 but found '2'",
        "x = a[1 2]                        => bad.py:1:9: expected ']' to close the '[' at 1:6 but found '2'",
        "x = {1: 2 3}                      => bad.py:1:11: expected ',' or '}' to close the '{' at 1:5 but found '3'",
        "x = {1, 2}                        => bad.py:1:5: set displays are not part of TorchScript",
        "1 = x                             => bad.py:1:1: cannot assign to a literal in an assignment",
        "f() = x                           => bad.py:1:1: cannot assign to a function call in an assignment",
        "a, b + 1 = x                      => bad.py:1:4: cannot assign to an operator expression in an assignment",
        "a, *b, *c = x                     => bad.py:1:1: multiple starred targets in an assignment",
        "a, b += 1                         => bad.py:1:1: illegal target for augmented assignment",
        "a, b : int                        => bad.py:1:1: only a single target can be annotated",
        "x = lambda: 1                     => bad.py:1:5: lambda expressions are not part of TorchScript",
        "x = [i for i in y]                => bad.py:1:8: comprehensions are not supported (torch serializes them as loops)",
        "x = f(**k)                        => bad.py:1:7: '**' unpacking in calls is not supported",
        "x = f(a=1, 2)                     => bad.py:1:12: positional argument follows keyword argument",
        "x = 9223372036854775808           => bad.py:1:5: integer literal 9223372036854775808 does not fit in 64 bits",
        "x = b'abc'                        => bad.py:1:5: bytes literals are not part of TorchScript",
        "x = ...                           => bad.py:1:5: expected an expression but found '...'",
        "with a:\\n  pass                  => bad.py:1:1: 'with' is not supported in serialized TorchScript",
        "def f():\\n  import os            => bad.py:2:3: imports are only supported at the top level",
        "def f():\\n  class A: pass        => bad.py:2:3: class definitions are only supported at the top level",
        "@dec\\ndef f(): pass              => bad.py:1:1: decorators are not supported in serialized TorchScript",
        "def f(*args): pass                => bad.py:1:7: '*' parameters are not part of TorchScript",
        "def f(a, a): pass                 => bad.py:1:10: duplicate parameter 'a'",
        "def f(a=1, b): pass               => bad.py:1:12: parameter without a default follows one with a default",
        "while x:\\n  pass\\nelse:\\n  pass => bad.py:3:1: 'else' after a loop is not supported",
        "raise A from B                    => bad.py:1:9: 'raise ... from' is not supported",
        "x = (*a)                          => bad.py:1:5: a starred expression needs a tuple: write (*x,)",
        "if x:\\n  pass\\n else:\\n  pass  => bad.py:3:2: unindent does not match any outer indentation level",
        "x = a if b                        => bad.py:1:11: expected 'else' but found end of line",
        "x = a.1                           => bad.py:1:6: expected end of line but found '.1'",
        "del f()                           => bad.py:1:5: cannot assign to a function call in del",
        "for f() in x: pass                => bad.py:1:5: cannot assign to a function call in for",
        "if x := 1: pass                   => bad.py:1:6: expected ':' but found ':='",
        "x = 1 2                           => bad.py:1:7: expected end of line but found '2'",
        "x = 'a' b'b'                      => bad.py:1:9: bytes literals are not part of TorchScript",
        "x = a == not b                    => bad.py:1:10: expected an expression but found 'not'",
        "x = - not a                       => bad.py:1:7: expected an expression but found 'not'",
        "x = a not b                       => bad.py:1:7: expected end of line but found 'not'",
        "x = not                           => bad.py:1:8: expected an expression but found end of line",
        "x = a is not not b                => bad.py:1:14: expected an expression but found 'not'",
    })
    void errorsNameTheFileLineAndColumn(String source, String message) {
        assertEquals(message, error(source.replace("\\n", "\n")).getMessage());
    }

    @Test
    void exceptionCarriesThePositionAndTheBareReason() {
        ScriptSyntaxException e = error("x = 1\ny = é +\n");
        assertEquals(new SourcePos("bad.py", 2, 8, 14), e.pos());
        assertEquals("expected an expression but found end of line", e.what());
    }

    @Test
    void lexerErrorsComeThroughTheParser() {
        assertEquals("bad.py:1:5: unterminated string literal", error("x = '''abc").getMessage());
    }

    // ---- limits

    private static final int MAX_DEPTH = ParserLimits.DEFAULT.maxDepth();
    private static final String TOO_DEEP = "nesting deeper than " + MAX_DEPTH + " levels: exceeds limit "
            + "script-nesting-depth=" + MAX_DEPTH + "; raise it with --limit script-nesting-depth=N";

    @Test
    void deepParenthesesAreRefusedNotOverflowed() {
        String source = "x = " + "(".repeat(10_000) + "a" + ")".repeat(10_000) + "\n";
        ScriptSyntaxException e = error(source);
        // the outermost '(' is column 5; the one that goes past the limit is the 201st
        assertEquals("bad.py:1:" + (5 + MAX_DEPTH) + ": " + TOO_DEEP,
                e.getMessage());
    }

    @Test
    void everyRecursiveConstructIsCounted() {
        int n = 5_000;
        String[] sources = {
            "x = " + "[".repeat(n) + "]".repeat(n),
            "x = " + "{1: ".repeat(n) + "1" + "}".repeat(n),
            "x = " + "-".repeat(n) + "a",
            "x = " + "not ".repeat(n) + "a",
            "x = " + "a ** ".repeat(n) + "a",
            "x = " + "a + ".repeat(n) + "a",
            "x = " + "f(".repeat(n) + ")".repeat(n),
            "x = " + "a[".repeat(n) + "0" + "]".repeat(n),
            "x = a" + ".b".repeat(n),
            "x = " + "a if b else ".repeat(n) + "c",
            "x = " + "(*".repeat(n) + "a" + ",)".repeat(n),
            "x = " + "(a, ".repeat(n) + ")".repeat(n),
            "x = f" + "()".repeat(n),
        };
        for (String source : sources) {
            ScriptSyntaxException e = error(source + "\n");
            assertEquals(TOO_DEEP, e.what(), source.substring(0, 20));
        }
    }

    @Test
    void deepBlocksAreRefused() {
        StringBuilder source = new StringBuilder();
        for (int i = 0; i < 1_000; i++) {
            source.append(" ".repeat(i)).append("if a:\n");
        }
        source.append(" ".repeat(1_000)).append("pass\n");
        ScriptSyntaxException e = error(source.toString());
        assertEquals(TOO_DEEP, e.what());
        assertEquals(MAX_DEPTH + 1, e.pos().line()); // the 201st 'if' opens the 201st block
    }

    @Test
    void nestingAtTheLimitParsesOnASmallStack() throws InterruptedException {
        // Parentheses cost the parser the most stack per level (7 frames round the recursion); 200 of them is
        // the deepest the default limit accepts. That needed about 400 KiB of stack when measured; a thread with
        // 768 KiB, three quarters of the JVM default, shows the limit leaves the caller room.
        String source = "x = " + "(".repeat(MAX_DEPTH) + "a" + ")".repeat(MAX_DEPTH) + "\n";
        AtomicReference<Object> result = new AtomicReference<>();
        Thread worker = new Thread(null, () -> {
            try {
                result.set(ScriptParser.parse("deep.py", source));
            } catch (Throwable t) {
                result.set(t);
            }
        }, "deep-parse", 768 * 1024);
        worker.start();
        worker.join();
        ScriptFile file = assertInstanceOfFile(result.get());
        assertEquals("a", TreeShape.of(((Stmt.Assign) file.statements().get(0)).value()));
    }

    private static ScriptFile assertInstanceOfFile(Object result) {
        if (result instanceof Throwable t) {
            throw new AssertionError("deep but legal nesting failed: " + t, t);
        }
        return (ScriptFile) result;
    }

    @Test
    void theLimitIsConfigurable() {
        String source = "x = ((((a))))\n";
        assertEquals("a", TreeShape.of(((Stmt.Assign) ScriptParser.parse("t.py", source, new ParserLimits(4, 100))
                .statements().get(0)).value()));
        ScriptSyntaxException e = assertThrows(ScriptSyntaxException.class,
                () -> ScriptParser.parse("t.py", source, new ParserLimits(3, 100)));
        assertEquals("t.py:1:8: nesting deeper than 3 levels: exceeds limit script-nesting-depth=3; raise it with "
                + "--limit script-nesting-depth=N", e.getMessage());
    }

    @Test
    void oversizedSourceIsRefusedBeforeLexing() {
        ScriptSyntaxException e = assertThrows(ScriptSyntaxException.class,
                () -> ScriptParser.parse("big.py", "x = 1\n".repeat(20), new ParserLimits(200, 100)));
        assertEquals("big.py:1:1: code file of 120 chars: exceeds limit "
                + "code-size=100; raise it with --limit code-size=N", e.getMessage());
    }
}
