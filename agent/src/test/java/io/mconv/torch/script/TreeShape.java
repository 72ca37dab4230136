package io.mconv.torch.script;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Renders an expression as a compact prefix form, so tests can assert tree shapes in one readable string:
 * {@code a + b * c} is {@code (+ a (* b c))}, calls are {@code (call f x k=y)}, literals are {@code 1},
 * {@code 1.5}, {@code 's'}, {@code None}.
 */
final class TreeShape {

    private TreeShape() {
    }

    static String of(Expr e) {
        if (e == null) {
            return "_";
        } else if (e instanceof Expr.Name n) {
            return n.id();
        } else if (e instanceof Expr.Literal l) {
            return l.value() instanceof String s ? "'" + s + "'" : String.valueOf(l.value() == null ? "None"
                    : l.value());
        } else if (e instanceof Expr.Attribute a) {
            return "(. " + of(a.value()) + " " + a.name() + ")";
        } else if (e instanceof Expr.Call c) {
            String keywords = c.keywords().stream().map(k -> " " + k.name() + "=" + of(k.value()))
                    .collect(Collectors.joining());
            return "(call " + of(c.func()) + all(c.args()) + keywords + ")";
        } else if (e instanceof Expr.Subscript s) {
            return "([] " + of(s.value()) + " " + of(s.index()) + ")";
        } else if (e instanceof Expr.Slice s) {
            return "(: " + of(s.lower()) + " " + of(s.upper()) + " " + of(s.step()) + ")";
        } else if (e instanceof Expr.TupleExpr t) {
            return "(tuple" + all(t.elements()) + ")";
        } else if (e instanceof Expr.ListExpr l) {
            return "(list" + all(l.elements()) + ")";
        } else if (e instanceof Expr.DictExpr d) {
            StringBuilder s = new StringBuilder("(dict");
            for (int i = 0; i < d.keys().size(); i++) {
                s.append(' ').append(of(d.keys().get(i))).append(':').append(of(d.values().get(i)));
            }
            return s.append(')').toString();
        } else if (e instanceof Expr.BinOp b) {
            return "(" + b.op() + " " + of(b.left()) + " " + of(b.right()) + ")";
        } else if (e instanceof Expr.UnaryOp u) {
            return "(" + u.op() + " " + of(u.operand()) + ")";
        } else if (e instanceof Expr.Compare c) {
            StringBuilder s = new StringBuilder("(cmp ").append(of(c.operands().get(0)));
            for (int i = 0; i < c.ops().size(); i++) {
                s.append(" [").append(c.ops().get(i)).append("] ").append(of(c.operands().get(i + 1)));
            }
            return s.append(')').toString();
        } else if (e instanceof Expr.BoolOp b) {
            return "(" + b.op() + all(b.values()) + ")";
        } else if (e instanceof Expr.IfExp i) {
            return "(ifexp " + of(i.test()) + " " + of(i.body()) + " " + of(i.orElse()) + ")";
        } else if (e instanceof Expr.Starred s) {
            return "(* " + of(s.value()) + ")";
        }
        throw new IllegalArgumentException(String.valueOf(e));
    }

    private static String all(List<Expr> elements) {
        return elements.stream().map(x -> " " + of(x)).collect(Collectors.joining());
    }
}
