package io.mconv.torch.script;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Expression shapes: precedence, associativity, primaries, literals. */
class ScriptParserExpressionTest {

    static Expr parseExpr(String source) {
        ScriptFile file = ScriptParser.parse("e.py", "x = " + source + "\n");
        return ((Stmt.Assign) file.statements().get(0)).value();
    }

    static String shape(String source) {
        return TreeShape.of(parseExpr(source));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiterString = "=>", quoteCharacter = '`', value = {
        "a + b * c                    => (+ a (* b c))",
        "a * b + c                    => (+ (* a b) c)",
        "a - b - c                    => (- (- a b) c)",
        "a / b // c % d @ e           => (@ (% (// (/ a b) c) d) e)",
        "a ** b ** c                  => (** a (** b c))",
        "-a ** b                      => (- (** a b))",
        "a ** -b                      => (** a (- b))",
        "-a ** -b ** c                => (- (** a (- (** b c))))",
        "~a + -b * +c                 => (+ (~ a) (* (- b) (+ c)))",
        "- - a                        => (- (- a))",
        "a | b ^ c & d                => (| a (^ b (& c d)))",
        "a & b << c + d               => (& a (<< b (+ c d)))",
        "a << b >> c                  => (>> (<< a b) c)",
        "a | b == c | d               => (cmp (| a b) [==] (| c d))",
        "a < b <= c != d              => (cmp a [<] b [<=] c [!=] d)",
        "a is not b is c              => (cmp a [is not] b [is] c)",
        "a not in b in c              => (cmp a [not in] b [in] c)",
        "not a == b                   => (not (cmp a [==] b))",
        "not not a                    => (not (not a))",
        "a or b and c or d            => (or a (and b c) d)",
        "a and not b or c             => (or (and a (not b)) c)",
        "not a and b                  => (and (not a) b)",
        "a if b else c                => (ifexp b a c)",
        "a if b else c if d else e    => (ifexp b a (ifexp d c e))",
        "a or b if c or d else e      => (ifexp (or c d) (or a b) e)",
        "(a + b) * c                  => (* (+ a b) c)",
        "a ** (b ** c) ** d           => (** a (** (** b c) d))",
        "-(a)                         => (- a)",
        "x.y.z                        => (. (. x y) z)",
        "-x.y(1)[2] ** 2              => (- (** ([] (call (. x y) 1) 2) 2))",
        "f(x, )                       => (call f x)",
        "f()                          => (call f)",
        "f(a, *b, c=d, e=f, )         => (call f a (* b) c=d e=f)",
        "f(a)(b)[c].d                 => (. ([] (call (call f a) b) c) d)",
        "(linear).forward(x, )        => (call (. linear forward) x)",
        "a[1]                         => ([] a 1)",
        "a[1:2]                       => ([] a (: 1 2 _))",
        "a[:]                         => ([] a (: _ _ _))",
        "a[::2]                       => ([] a (: _ _ 2))",
        "a[1::]                       => ([] a (: 1 _ _))",
        "a[:, 0, b:c:d]               => ([] a (tuple (: _ _ _) 0 (: b c d)))",
        "a[0,]                        => ([] a (tuple 0))",
        "a[(0, 1)]                    => ([] a (tuple 0 1))",
        "Dict[str, List[Tensor]]      => ([] Dict (tuple str ([] List Tensor)))",
        "()                           => (tuple)",
        "(a)                          => a",
        "(a,)                         => (tuple a)",
        "(a, b, )                     => (tuple a b)",
        "(*a, b)                      => (tuple (* a) b)",
        "[]                           => (list)",
        "[a, *b, ]                    => (list a (* b))",
        "[[1], [2, 3]]                => (list (list 1) (list 2 3))",
        "{}                           => (dict)",
        "{'a': 1, 2: [b], }           => (dict 'a':1 2:(list b))",
        "a, b                         => (tuple a b)",
        "a,                           => (tuple a)",
        "True, False, None            => (tuple true false None)",
        "'a' 'b' \"c\"                => 'abc'",
        "1.5e3 + 0x10 - 0b11          => (- (+ 1500.0 16) 3)",
        "-9223372036854775808         => -9223372036854775808",
        "9223372036854775807          => 9223372036854775807",
        "__torch__.a.___torch_mangle_5.B => (. (. (. __torch__ a) ___torch_mangle_5) B)",
        "ops.prim.RaiseException('x') => (call (. (. ops prim) RaiseException) 'x')",
        "float('inf')                 => (call float 'inf')",
    })
    void shapes(String source, String expected) {
        assertEquals(expected, shape(source));
    }

    @Test
    void literalValuesHaveJavaTypes() {
        assertEquals(7L, ((Expr.Literal) parseExpr("7")).value());
        assertEquals(1e-05, ((Expr.Literal) parseExpr("1e-05")).value());
        assertEquals(Boolean.TRUE, ((Expr.Literal) parseExpr("True")).value());
        assertEquals(null, ((Expr.Literal) parseExpr("None")).value());
        assertEquals("a\nb", ((Expr.Literal) parseExpr("'a\\nb'")).value());
        assertEquals(Long.MIN_VALUE, ((Expr.Literal) parseExpr("-9223372036854775808")).value());
        // an ordinary negative number stays unary minus over a literal, as in Python's ast
        Expr.UnaryOp minus = assertInstanceOf(Expr.UnaryOp.class, parseExpr("-1"));
        assertEquals(1L, ((Expr.Literal) minus.operand()).value());
    }

    @Test
    void nodesArePositionedWhereTheyStart() {
        Expr.BinOp sum = assertInstanceOf(Expr.BinOp.class, parseExpr("a.b(c) + d[e]"));
        assertEquals(new SourcePos("e.py", 1, 5, 4), sum.pos());
        Expr.Subscript sub = assertInstanceOf(Expr.Subscript.class, sum.right());
        assertEquals(new SourcePos("e.py", 1, 14, 13), sub.pos());
        Expr.TupleExpr tuple = assertInstanceOf(Expr.TupleExpr.class, parseExpr("(1,\n  2)"));
        assertEquals(new SourcePos("e.py", 2, 3, 10), tuple.elements().get(1).pos());
        Expr.UnaryOp not = assertInstanceOf(Expr.UnaryOp.class, parseExpr("  not a"));
        assertEquals(7, not.pos().column());
    }
}
