package io.mconv.torch.script;

import java.util.List;

/**
 * Copies a tree with every SourcePos set to null, so that two parses of differently laid-out text compare equal
 * when their structure is the same.
 */
final class PositionEraser {

    private PositionEraser() {
    }

    static ScriptFile erase(ScriptFile f) {
        return new ScriptFile(f.path(), f.classes().stream().map(PositionEraser::erase).toList(),
                f.functions().stream().map(PositionEraser::erase).toList(), stmts(f.statements()));
    }

    static ClassDef erase(ClassDef c) {
        return new ClassDef(c.name(), exprs(c.bases()), stmts(c.statements()),
                c.methods().stream().map(PositionEraser::erase).toList(), null);
    }

    static FunctionDef erase(FunctionDef f) {
        List<FunctionDef.Param> params = f.params().stream()
                .map(p -> new FunctionDef.Param(p.name(), erase(p.annotation()), erase(p.defaultValue()), null))
                .toList();
        return new FunctionDef(f.name(), params, erase(f.returns()), stmts(f.body()), null);
    }

    static List<Stmt> stmts(List<Stmt> body) {
        return body.stream().map(PositionEraser::erase).toList();
    }

    static Stmt erase(Stmt s) {
        if (s instanceof Stmt.Assign a) {
            return new Stmt.Assign(exprs(a.targets()), erase(a.value()), null);
        } else if (s instanceof Stmt.AnnAssign a) {
            return new Stmt.AnnAssign(erase(a.target()), erase(a.annotation()), erase(a.value()), null);
        } else if (s instanceof Stmt.AugAssign a) {
            return new Stmt.AugAssign(erase(a.target()), a.op(), erase(a.value()), null);
        } else if (s instanceof Stmt.ExprStmt e) {
            return new Stmt.ExprStmt(erase(e.value()), null);
        } else if (s instanceof Stmt.Return r) {
            return new Stmt.Return(erase(r.value()), null);
        } else if (s instanceof Stmt.If i) {
            return new Stmt.If(erase(i.test()), stmts(i.body()), stmts(i.orElse()), null);
        } else if (s instanceof Stmt.For f) {
            return new Stmt.For(erase(f.target()), erase(f.iter()), stmts(f.body()), null);
        } else if (s instanceof Stmt.While w) {
            return new Stmt.While(erase(w.test()), stmts(w.body()), null);
        } else if (s instanceof Stmt.Pass) {
            return new Stmt.Pass(null);
        } else if (s instanceof Stmt.Break) {
            return new Stmt.Break(null);
        } else if (s instanceof Stmt.Continue) {
            return new Stmt.Continue(null);
        } else if (s instanceof Stmt.Raise r) {
            return new Stmt.Raise(erase(r.exc()), null);
        } else if (s instanceof Stmt.Assert a) {
            return new Stmt.Assert(erase(a.test()), erase(a.msg()), null);
        } else if (s instanceof Stmt.Delete d) {
            return new Stmt.Delete(exprs(d.targets()), null);
        } else if (s instanceof Stmt.Def d) {
            return new Stmt.Def(erase(d.function()));
        }
        throw new IllegalArgumentException("unknown statement " + s);
    }

    static List<Expr> exprs(List<Expr> list) {
        return list.stream().map(PositionEraser::erase).toList();
    }

    static Expr erase(Expr e) {
        if (e == null) {
            return null;
        } else if (e instanceof Expr.Name n) {
            return new Expr.Name(n.id(), null);
        } else if (e instanceof Expr.Literal l) {
            return new Expr.Literal(l.value(), null);
        } else if (e instanceof Expr.Attribute a) {
            return new Expr.Attribute(erase(a.value()), a.name(), null);
        } else if (e instanceof Expr.Call c) {
            List<Expr.Keyword> keywords = c.keywords().stream()
                    .map(k -> new Expr.Keyword(k.name(), erase(k.value()))).toList();
            return new Expr.Call(erase(c.func()), exprs(c.args()), keywords, null);
        } else if (e instanceof Expr.Subscript s) {
            return new Expr.Subscript(erase(s.value()), erase(s.index()), null);
        } else if (e instanceof Expr.Slice s) {
            return new Expr.Slice(erase(s.lower()), erase(s.upper()), erase(s.step()), null);
        } else if (e instanceof Expr.TupleExpr t) {
            return new Expr.TupleExpr(exprs(t.elements()), null);
        } else if (e instanceof Expr.ListExpr l) {
            return new Expr.ListExpr(exprs(l.elements()), null);
        } else if (e instanceof Expr.DictExpr d) {
            return new Expr.DictExpr(exprs(d.keys()), exprs(d.values()), null);
        } else if (e instanceof Expr.BinOp b) {
            return new Expr.BinOp(erase(b.left()), b.op(), erase(b.right()), null);
        } else if (e instanceof Expr.UnaryOp u) {
            return new Expr.UnaryOp(u.op(), erase(u.operand()), null);
        } else if (e instanceof Expr.Compare c) {
            return new Expr.Compare(exprs(c.operands()), c.ops(), null);
        } else if (e instanceof Expr.BoolOp b) {
            return new Expr.BoolOp(b.op(), exprs(b.values()), null);
        } else if (e instanceof Expr.IfExp i) {
            return new Expr.IfExp(erase(i.test()), erase(i.body()), erase(i.orElse()), null);
        } else if (e instanceof Expr.Starred s) {
            return new Expr.Starred(erase(s.value()), null);
        }
        throw new IllegalArgumentException("unknown expression " + e);
    }
}
