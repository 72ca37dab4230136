package io.mconv.torch.script;

import java.util.List;

/**
 * An expression of serialized TorchScript. Type annotations ({@code List[int]}, {@code Optional[Tensor]},
 * {@code __torch__.torch.nn.modules.conv.Conv2d}) are parsed as ordinary expressions: names, attributes and
 * subscripts.
 */
public sealed interface Expr {

    SourcePos pos();

    /** A bare identifier: {@code x}, {@code torch}, {@code CONSTANTS}, {@code None} is a {@link Literal}. */
    record Name(String id, SourcePos pos) implements Expr {
    }

    /**
     * A literal: {@code Long} (ints, arbitrary size refused by the parser beyond 64 bits), {@code Double} (floats,
     * also {@code inf}/{@code nan} written as {@code float("inf")} stay calls), {@code String} (decoded escapes),
     * {@code Boolean}, or {@code null} for {@code None}.
     */
    record Literal(Object value, SourcePos pos) implements Expr {
    }

    /** {@code value.name}: {@code torch.add}, {@code self.conv1}, {@code CONSTANTS.c0}, {@code ops.aten.add}. */
    record Attribute(Expr value, String name, SourcePos pos) implements Expr {
    }

    /** {@code func(args..., name=value...)}; keyword arguments keep their order. */
    record Call(Expr func, List<Expr> args, List<Keyword> keywords, SourcePos pos) implements Expr {
        public Call {
            args = List.copyOf(args);
            keywords = List.copyOf(keywords);
        }
    }

    record Keyword(String name, Expr value) {
    }

    /** {@code value[index]}; {@code a[1:2]} has a {@link Slice} index, {@code a[0, 1]} a {@link TupleExpr}. */
    record Subscript(Expr value, Expr index, SourcePos pos) implements Expr {
    }

    /** {@code lower:upper:step} inside a subscript; absent parts are null. */
    record Slice(Expr lower, Expr upper, Expr step, SourcePos pos) implements Expr {
    }

    /** {@code (a, b)} and the bare {@code a, b} of assignments and returns. */
    record TupleExpr(List<Expr> elements, SourcePos pos) implements Expr {
        public TupleExpr {
            elements = List.copyOf(elements);
        }
    }

    record ListExpr(List<Expr> elements, SourcePos pos) implements Expr {
        public ListExpr {
            elements = List.copyOf(elements);
        }
    }

    /** {@code {k: v, ...}}, entries in order. */
    record DictExpr(List<Expr> keys, List<Expr> values, SourcePos pos) implements Expr {
        public DictExpr {
            keys = List.copyOf(keys);
            values = List.copyOf(values);
        }
    }

    /** {@code left op right} with op one of {@code + - * / // % ** @ & | ^ << >>}. */
    record BinOp(Expr left, String op, Expr right, SourcePos pos) implements Expr {
    }

    /** {@code op operand} with op one of {@code - + ~ not}. */
    record UnaryOp(String op, Expr operand, SourcePos pos) implements Expr {
    }

    /**
     * A comparison chain {@code a < b <= c}: ops are {@code == != < <= > >= is is not in not in}, one more operand
     * than ops.
     */
    record Compare(List<Expr> operands, List<String> ops, SourcePos pos) implements Expr {
        public Compare {
            operands = List.copyOf(operands);
            ops = List.copyOf(ops);
        }
    }

    /** {@code a and b and c} or {@code a or b}; op is {@code and} or {@code or}. */
    record BoolOp(String op, List<Expr> values, SourcePos pos) implements Expr {
        public BoolOp {
            values = List.copyOf(values);
        }
    }

    /** {@code body if test else orElse}. */
    record IfExp(Expr test, Expr body, Expr orElse, SourcePos pos) implements Expr {
    }

    /** {@code *value} in a call's arguments or a tuple. */
    record Starred(Expr value, SourcePos pos) implements Expr {
    }
}
