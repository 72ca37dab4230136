package io.mconv.torch.script;

import java.util.List;

/** A statement of serialized TorchScript. Blocks are lists of statements, never empty ({@code pass} fills them). */
public sealed interface Stmt {

    SourcePos pos();

    /**
     * {@code t1 = t2 = value}; usually one target. A target is a {@link Expr.Name}, {@link Expr.TupleExpr} of
     * targets, {@link Expr.Attribute} or {@link Expr.Subscript}. A class-level {@code name : Type} annotation is
     * an {@link AnnAssign}.
     */
    record Assign(List<Expr> targets, Expr value, SourcePos pos) implements Stmt {
        public Assign {
            targets = List.copyOf(targets);
        }
    }

    /** {@code target : annotation [= value]}; value may be null. */
    record AnnAssign(Expr target, Expr annotation, Expr value, SourcePos pos) implements Stmt {
    }

    /** {@code target op= value} with op like {@code +}. */
    record AugAssign(Expr target, String op, Expr value, SourcePos pos) implements Stmt {
    }

    record ExprStmt(Expr value, SourcePos pos) implements Stmt {
    }

    /** {@code return [value]}; value null for a bare return. */
    record Return(Expr value, SourcePos pos) implements Stmt {
    }

    /** {@code if test: body else: orElse}; {@code elif} nests as an If inside orElse. orElse may be empty. */
    record If(Expr test, List<Stmt> body, List<Stmt> orElse, SourcePos pos) implements Stmt {
        public If {
            body = List.copyOf(body);
            orElse = List.copyOf(orElse);
        }
    }

    /** {@code for target in iter: body}. */
    record For(Expr target, Expr iter, List<Stmt> body, SourcePos pos) implements Stmt {
        public For {
            body = List.copyOf(body);
        }
    }

    record While(Expr test, List<Stmt> body, SourcePos pos) implements Stmt {
        public While {
            body = List.copyOf(body);
        }
    }

    record Pass(SourcePos pos) implements Stmt {
    }

    record Break(SourcePos pos) implements Stmt {
    }

    record Continue(SourcePos pos) implements Stmt {
    }

    /** {@code raise exc}; exc may be null. */
    record Raise(Expr exc, SourcePos pos) implements Stmt {
    }

    /** {@code assert test[, msg]}; msg may be null. */
    record Assert(Expr test, Expr msg, SourcePos pos) implements Stmt {
    }

    /** {@code del a, b[0]}. */
    record Delete(List<Expr> targets, SourcePos pos) implements Stmt {
        public Delete {
            targets = List.copyOf(targets);
        }
    }

    /** A nested {@code def} (rare in serialized code, but legal). */
    record Def(FunctionDef function) implements Stmt {
        @Override
        public SourcePos pos() {
            return function.pos();
        }
    }
}
