package io.mconv.torch.script;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Statements, functions, classes and files. */
class ScriptParserStatementTest {

    private static ScriptFile parse(String source) {
        return ScriptParser.parse("s.py", source);
    }

    /** The statements of a function body {@code def f():} holding {@code body} (indented by the caller). */
    private static List<Stmt> body(String body) {
        return parse("def f():\n" + body).functions().get(0).body();
    }

    private static Stmt only(String statement) {
        List<Stmt> stmts = parse(statement).statements();
        assertEquals(1, stmts.size(), () -> "one statement expected: " + stmts);
        return stmts.get(0);
    }

    @Test
    void serializedModuleClass() {
        ScriptFile file = parse("""
                import torch
                from typing import List, Dict as D
                op_version_set = 1
                class Conv(Module):
                  __parameters__ = ["weight", "bias", ]
                  __buffers__ = []
                  weight : Tensor
                  bias : Optional[Tensor]
                  training : bool
                  __annotations__["0"] = __torch__.torch.nn.modules.conv.Conv2d
                  __constants__ = ["stride"]
                  stride : Final[Tuple[int, int]] = (1, 1)
                  def forward(self: __torch__.Conv,
                    input: Tensor) -> Tensor:
                    _0 = self.weight
                    return torch._convolution(input, _0, None, [1, 1], )
                  def extra(self: __torch__.Conv) -> None:
                    return None
                """);
        assertEquals("s.py", file.path());
        assertEquals(1, file.statements().size());
        Stmt.Assign version = assertInstanceOf(Stmt.Assign.class, file.statements().get(0));
        assertEquals("op_version_set", TreeShape.of(version.targets().get(0)));
        ClassDef conv = file.classes().get(0);
        assertEquals("Conv", conv.name());
        assertEquals(new SourcePos("s.py", 4, 1, 67), conv.pos());
        assertEquals("Module", TreeShape.of(conv.bases().get(0)));
        assertEquals(8, conv.statements().size());
        assertEquals("(list 'weight' 'bias')",
                TreeShape.of(((Stmt.Assign) conv.statements().get(0)).value()));
        Stmt.AnnAssign bias = assertInstanceOf(Stmt.AnnAssign.class, conv.statements().get(3));
        assertEquals("bias", TreeShape.of(bias.target()));
        assertEquals("([] Optional Tensor)", TreeShape.of(bias.annotation()));
        assertNull(bias.value());
        Stmt.Assign annotations = assertInstanceOf(Stmt.Assign.class, conv.statements().get(5));
        assertEquals("([] __annotations__ '0')", TreeShape.of(annotations.targets().get(0)));
        Stmt.AnnAssign stride = assertInstanceOf(Stmt.AnnAssign.class, conv.statements().get(7));
        assertEquals("([] Final ([] Tuple (tuple int int)))", TreeShape.of(stride.annotation()));
        assertEquals("(tuple 1 1)", TreeShape.of(stride.value()));

        assertEquals(List.of("forward", "extra"), conv.methods().stream().map(FunctionDef::name).toList());
        FunctionDef forward = conv.method("forward").orElseThrow();
        assertEquals(2, forward.params().size());
        assertEquals("(. __torch__ Conv)", TreeShape.of(forward.params().get(0).annotation()));
        assertEquals("input", forward.params().get(1).name());
        assertEquals(new SourcePos("s.py", 14, 5, 384), forward.params().get(1).pos());
        assertEquals("Tensor", TreeShape.of(forward.returns()));
        Stmt.Return ret = assertInstanceOf(Stmt.Return.class, forward.body().get(1));
        assertEquals("(call (. torch _convolution) input _0 None (list 1 1))", TreeShape.of(ret.value()));
    }

    @Test
    void parametersWithAnnotationsAndDefaults() {
        FunctionDef f = parse("def g(a, b: int, c: List[int]=[1, 2], d=None, ) -> Tuple[int, int]:\n  pass\n")
                .functions().get(0);
        assertEquals(List.of("a", "b", "c", "d"), f.params().stream().map(FunctionDef.Param::name).toList());
        assertNull(f.params().get(0).annotation());
        assertEquals("int", TreeShape.of(f.params().get(1).annotation()));
        assertNull(f.params().get(1).defaultValue());
        assertEquals("(list 1 2)", TreeShape.of(f.params().get(2).defaultValue()));
        assertEquals("None", TreeShape.of(f.params().get(3).defaultValue()));
        assertNull(f.params().get(3).annotation());
        assertEquals("([] Tuple (tuple int int))", TreeShape.of(f.returns()));
        assertNull(parse("def h():\n  pass\n").functions().get(0).returns());
    }

    @Test
    void assignments() {
        Stmt.Assign chain = assertInstanceOf(Stmt.Assign.class, only("a = b.c = d[0] = 1\n"));
        assertEquals(List.of("a", "(. b c)", "([] d 0)"), chain.targets().stream().map(TreeShape::of).toList());
        assertEquals("1", TreeShape.of(chain.value()));

        Stmt.Assign unpack = assertInstanceOf(Stmt.Assign.class, only("z, m, = (self).helper(y3, i, )\n"));
        assertEquals("(tuple z m)", TreeShape.of(unpack.targets().get(0)));

        Stmt.Assign nested = assertInstanceOf(Stmt.Assign.class, only("a, (b, [c, *d]) = e, f\n"));
        assertEquals("(tuple a (tuple b (list c (* d))))", TreeShape.of(nested.targets().get(0)));
        assertEquals("(tuple e f)", TreeShape.of(nested.value()));

        Stmt.AnnAssign annotated = assertInstanceOf(Stmt.AnnAssign.class, only("x: List[int] = []\n"));
        assertEquals("(list)", TreeShape.of(annotated.value()));
    }

    @Test
    void augmentedAssignments() {
        List<Stmt> stmts = parse("a += 1; b.c -= 2; d[0] *= 3\ne //= 4\nf **= 5\ng >>= 6\nh @= i\n").statements();
        assertEquals(7, stmts.size());
        Stmt.AugAssign first = assertInstanceOf(Stmt.AugAssign.class, stmts.get(0));
        assertEquals("+", first.op());
        assertEquals("a", TreeShape.of(first.target()));
        assertEquals("1", TreeShape.of(first.value()));
        assertEquals(List.of("+", "-", "*", "//", "**", ">>", "@"),
                stmts.stream().map(s -> ((Stmt.AugAssign) s).op()).toList());
        assertEquals(new SourcePos("s.py", 1, 9, 8), stmts.get(1).pos());
    }

    @Test
    void expressionStatementsAndReturns() {
        List<Stmt> stmts = body("  torch._set_item(table, 'y', y)\n  return\n");
        assertEquals("(call (. torch _set_item) table 'y' y)",
                TreeShape.of(assertInstanceOf(Stmt.ExprStmt.class, stmts.get(0)).value()));
        assertNull(assertInstanceOf(Stmt.Return.class, stmts.get(1)).value());
        Stmt.Return pair = assertInstanceOf(Stmt.Return.class, body("  return a, b\n").get(0));
        assertEquals("(tuple a b)", TreeShape.of(pair.value()));
    }

    @Test
    void ifElifElseNests() {
        Stmt.If chain = assertInstanceOf(Stmt.If.class, body("""
                  if a:
                    x = 1
                  elif b: x = 2
                  elif c:
                    pass
                  else:
                    x = 3
                    y = 4
                """).get(0));
        assertEquals("a", TreeShape.of(chain.test()));
        assertEquals(1, chain.body().size());
        Stmt.If elif = assertInstanceOf(Stmt.If.class, chain.orElse().get(0));
        assertEquals(1, chain.orElse().size());
        assertEquals("b", TreeShape.of(elif.test()));
        assertEquals(new SourcePos("s.py", 4, 3, 29), elif.pos());
        Stmt.If last = assertInstanceOf(Stmt.If.class, elif.orElse().get(0));
        assertInstanceOf(Stmt.Pass.class, last.body().get(0));
        assertEquals(2, last.orElse().size());
        assertTrue(assertInstanceOf(Stmt.If.class, body("  if a:\n    pass\n").get(0)).orElse().isEmpty());
    }

    @Test
    void loops() {
        List<Stmt> stmts = body("""
                  for i, (j, k) in enumerate(zip(a, b)):
                    if i: break
                    continue
                  while _3:
                    _3, y3, i = _4, y4, i0
                  for x in a, b: pass
                """);
        Stmt.For loop = assertInstanceOf(Stmt.For.class, stmts.get(0));
        assertEquals("(tuple i (tuple j k))", TreeShape.of(loop.target()));
        assertEquals("(call enumerate (call zip a b))", TreeShape.of(loop.iter()));
        assertInstanceOf(Stmt.Break.class, ((Stmt.If) loop.body().get(0)).body().get(0));
        assertInstanceOf(Stmt.Continue.class, loop.body().get(1));
        Stmt.While whileLoop = assertInstanceOf(Stmt.While.class, stmts.get(1));
        assertEquals("_3", TreeShape.of(whileLoop.test()));
        assertEquals("(tuple _3 y3 i)",
                TreeShape.of(((Stmt.Assign) whileLoop.body().get(0)).targets().get(0)));
        assertEquals("(tuple a b)", TreeShape.of(((Stmt.For) stmts.get(2)).iter()));
    }

    @Test
    void raiseAssertDeletePass() {
        List<Stmt> stmts = body("""
                  raise Exception("bad")
                  raise
                  assert x > 0, "negative"
                  assert y
                  del a, b[0], c.d,
                  pass
                """);
        assertEquals("(call Exception 'bad')", TreeShape.of(((Stmt.Raise) stmts.get(0)).exc()));
        assertNull(((Stmt.Raise) stmts.get(1)).exc());
        Stmt.Assert check = (Stmt.Assert) stmts.get(2);
        assertEquals("(cmp x [>] 0)", TreeShape.of(check.test()));
        assertEquals("'negative'", TreeShape.of(check.msg()));
        assertNull(((Stmt.Assert) stmts.get(3)).msg());
        assertEquals(List.of("a", "([] b 0)", "(. c d)"),
                ((Stmt.Delete) stmts.get(4)).targets().stream().map(TreeShape::of).toList());
        assertInstanceOf(Stmt.Pass.class, stmts.get(5));
    }

    @Test
    void nestedDefIsAStatement() {
        Stmt.Def inner = assertInstanceOf(Stmt.Def.class, body("  def inner(q: int) -> int: return q\n  pass\n")
                .get(0));
        assertEquals("inner", inner.function().name());
        assertEquals(inner.function().pos(), inner.pos());
        assertEquals(1, inner.function().body().size());
    }

    @Test
    void classesWithoutBasesAndOneLineBodies() {
        ScriptFile file = parse("class A: pass\nclass B(NamedTuple, ):\n  x : Tensor\nclass C():\n  pass\n");
        assertEquals(List.of("A", "B", "C"), file.classes().stream().map(ClassDef::name).toList());
        assertTrue(file.classes().get(0).bases().isEmpty());
        assertEquals(1, file.classes().get(1).bases().size());
        assertTrue(file.classes().get(2).bases().isEmpty());
        assertInstanceOf(Stmt.Pass.class, file.classes().get(0).statements().get(0));
    }

    @Test
    void importsAreDropped() {
        ScriptFile file = parse("import torch\nimport a.b as c, d\nfrom . import x\nfrom a.b import (c as d, e, )\n"
                + "from m import *\n");
        assertTrue(file.statements().isEmpty() && file.classes().isEmpty() && file.functions().isEmpty());
    }

    @Test
    void semicolonsSeparateStatementsAndMayTrail() {
        assertEquals(3, parse("a = 1; b = 2; c = 3;\n").statements().size());
    }
}
