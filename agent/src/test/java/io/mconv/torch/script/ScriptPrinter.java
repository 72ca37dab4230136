package io.mconv.torch.script;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Prints a parsed tree back to TorchScript source, for the round-trip check: printing and re-parsing must give the
 * same tree. Every compound operand is parenthesized, so the printed text does not depend on the printer getting
 * precedence right; the parser drops redundant parentheses, so the re-parsed tree has the original shape.
 */
final class ScriptPrinter {

    private static final String INDENT = "  ";

    private final StringBuilder out = new StringBuilder();

    static String print(ScriptFile file) {
        ScriptPrinter p = new ScriptPrinter();
        file.statements().forEach(s -> p.statement(s, ""));
        file.classes().forEach(c -> p.classDef(c));
        file.functions().forEach(f -> p.function(f, ""));
        return p.out.toString();
    }

    private void classDef(ClassDef c) {
        out.append("class ").append(c.name());
        if (!c.bases().isEmpty()) {
            out.append('(').append(join(c.bases())).append(')');
        }
        out.append(":\n");
        c.statements().forEach(s -> statement(s, INDENT));
        c.methods().forEach(m -> function(m, INDENT));
        if (c.statements().isEmpty() && c.methods().isEmpty()) {
            out.append(INDENT).append("pass\n");
        }
    }

    private void function(FunctionDef f, String indent) {
        out.append(indent).append("def ").append(f.name()).append('(');
        out.append(f.params().stream().map(ScriptPrinter::param).collect(Collectors.joining(", ")));
        out.append(')');
        if (f.returns() != null) {
            out.append(" -> ").append(expr(f.returns()));
        }
        out.append(":\n");
        block(f.body(), indent + INDENT);
    }

    private static String param(FunctionDef.Param p) {
        String s = p.name();
        if (p.annotation() != null) {
            s += ": " + expr(p.annotation());
        }
        if (p.defaultValue() != null) {
            s += "=" + expr(p.defaultValue());
        }
        return s;
    }

    private void block(List<Stmt> body, String indent) {
        body.forEach(s -> statement(s, indent));
    }

    private void statement(Stmt s, String indent) {
        if (s instanceof Stmt.Def d) {
            function(d.function(), indent);
            return;
        }
        out.append(indent);
        if (s instanceof Stmt.Assign a) {
            a.targets().forEach(t -> out.append(expr(t)).append(" = "));
            out.append(expr(a.value()));
        } else if (s instanceof Stmt.AnnAssign a) {
            out.append(expr(a.target())).append(" : ").append(expr(a.annotation()));
            if (a.value() != null) {
                out.append(" = ").append(expr(a.value()));
            }
        } else if (s instanceof Stmt.AugAssign a) {
            out.append(expr(a.target())).append(' ').append(a.op()).append("= ").append(expr(a.value()));
        } else if (s instanceof Stmt.ExprStmt e) {
            out.append(expr(e.value()));
        } else if (s instanceof Stmt.Return r) {
            out.append("return");
            if (r.value() != null) {
                out.append(' ').append(expr(r.value()));
            }
        } else if (s instanceof Stmt.If i) {
            out.append("if ").append(expr(i.test())).append(":\n");
            block(i.body(), indent + INDENT);
            if (!i.orElse().isEmpty()) {
                out.append(indent).append("else:\n");
                block(i.orElse(), indent + INDENT);
            }
            return;
        } else if (s instanceof Stmt.For f) {
            out.append("for ").append(expr(f.target())).append(" in ").append(expr(f.iter())).append(":\n");
            block(f.body(), indent + INDENT);
            return;
        } else if (s instanceof Stmt.While w) {
            out.append("while ").append(expr(w.test())).append(":\n");
            block(w.body(), indent + INDENT);
            return;
        } else if (s instanceof Stmt.Pass) {
            out.append("pass");
        } else if (s instanceof Stmt.Break) {
            out.append("break");
        } else if (s instanceof Stmt.Continue) {
            out.append("continue");
        } else if (s instanceof Stmt.Raise r) {
            out.append("raise");
            if (r.exc() != null) {
                out.append(' ').append(expr(r.exc()));
            }
        } else if (s instanceof Stmt.Assert a) {
            out.append("assert ").append(expr(a.test()));
            if (a.msg() != null) {
                out.append(", ").append(expr(a.msg()));
            }
        } else if (s instanceof Stmt.Delete d) {
            out.append("del ").append(join(d.targets()));
        } else {
            throw new IllegalArgumentException("unknown statement " + s);
        }
        out.append('\n');
    }

    static String expr(Expr e) {
        if (e instanceof Expr.Name n) {
            return n.id();
        } else if (e instanceof Expr.Literal l) {
            return literal(l.value());
        } else if (e instanceof Expr.Attribute a) {
            return operand(a.value()) + "." + a.name();
        } else if (e instanceof Expr.Call c) {
            String args = join(c.args());
            String keywords = c.keywords().stream().map(k -> k.name() + "=" + expr(k.value()))
                    .collect(Collectors.joining(", "));
            String sep = args.isEmpty() || keywords.isEmpty() ? "" : ", ";
            return operand(c.func()) + "(" + args + sep + keywords + ")";
        } else if (e instanceof Expr.Subscript s) {
            return operand(s.value()) + "[" + index(s.index()) + "]";
        } else if (e instanceof Expr.Slice s) {
            String step = s.step() == null ? "" : ":" + expr(s.step());
            return optional(s.lower()) + ":" + optional(s.upper()) + step;
        } else if (e instanceof Expr.TupleExpr t) {
            return t.elements().size() == 1 ? "(" + expr(t.elements().get(0)) + ",)" : "(" + join(t.elements()) + ")";
        } else if (e instanceof Expr.ListExpr l) {
            return "[" + join(l.elements()) + "]";
        } else if (e instanceof Expr.DictExpr d) {
            StringBuilder s = new StringBuilder("{");
            for (int i = 0; i < d.keys().size(); i++) {
                s.append(i == 0 ? "" : ", ").append(expr(d.keys().get(i))).append(": ").append(expr(d.values().get(i)));
            }
            return s.append('}').toString();
        } else if (e instanceof Expr.BinOp b) {
            return operand(b.left()) + " " + b.op() + " " + operand(b.right());
        } else if (e instanceof Expr.UnaryOp u) {
            return u.op() + (u.op().equals("not") ? " " : "") + operand(u.operand());
        } else if (e instanceof Expr.Compare c) {
            StringBuilder s = new StringBuilder(operand(c.operands().get(0)));
            for (int i = 0; i < c.ops().size(); i++) {
                s.append(' ').append(c.ops().get(i)).append(' ').append(operand(c.operands().get(i + 1)));
            }
            return s.toString();
        } else if (e instanceof Expr.BoolOp b) {
            return b.values().stream().map(ScriptPrinter::operand).collect(Collectors.joining(" " + b.op() + " "));
        } else if (e instanceof Expr.IfExp i) {
            return operand(i.body()) + " if " + operand(i.test()) + " else " + operand(i.orElse());
        } else if (e instanceof Expr.Starred s) {
            return "*" + operand(s.value());
        }
        throw new IllegalArgumentException("unknown expression " + e);
    }

    /** A subscript's index: a tuple is written bare, because it may hold slices, which parentheses forbid. */
    private static String index(Expr e) {
        if (e instanceof Expr.TupleExpr t && !t.elements().isEmpty()) {
            return join(t.elements()) + (t.elements().size() == 1 ? "," : "");
        }
        return expr(e);
    }

    private static String optional(Expr e) {
        return e == null ? "" : expr(e);
    }

    /** An expression used as an operand: parenthesized unless it is atomic. */
    private static String operand(Expr e) {
        boolean atomic = e instanceof Expr.Name || e instanceof Expr.Attribute || e instanceof Expr.Call
                || e instanceof Expr.Subscript || e instanceof Expr.TupleExpr || e instanceof Expr.ListExpr
                || e instanceof Expr.DictExpr
                || (e instanceof Expr.Literal l && !(l.value() instanceof Number n && n.doubleValue() < 0));
        return atomic ? expr(e) : "(" + expr(e) + ")";
    }

    private static String join(List<Expr> elements) {
        return elements.stream().map(ScriptPrinter::expr).collect(Collectors.joining(", "));
    }

    private static String literal(Object value) {
        if (value == null) {
            return "None";
        } else if (value instanceof Boolean b) {
            return b ? "True" : "False";
        } else if (value instanceof Long l) {
            return Long.toString(l);
        } else if (value instanceof Double d) {
            return d.isInfinite() ? (d > 0 ? "1e999" : "-1e999") : Double.toString(d);
        } else if (value instanceof String s) {
            return quote(s);
        }
        throw new IllegalArgumentException("unknown literal " + value.getClass());
    }

    private static String quote(String s) {
        StringBuilder q = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> q.append("\\\"");
                case '\\' -> q.append("\\\\");
                case '\n' -> q.append("\\n");
                case '\t' -> q.append("\\t");
                case '\r' -> q.append("\\r");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        q.append(String.format("\\x%02x", (int) c));
                    } else {
                        q.append(c);
                    }
                }
            }
        }
        return q.append('"').toString();
    }
}
