package io.mconv.passes.cleanup;

import io.mconv.ir.Attribute;
import io.mconv.ir.DataType;
import io.mconv.ir.Graph;
import io.mconv.ir.Model;
import io.mconv.ir.Node;
import io.mconv.ir.Shape;
import io.mconv.ir.Tensor;
import io.mconv.ir.Value;
import io.mconv.passes.PassContext;
import io.mconv.passes.rewrite.RuleContext;
import io.mconv.schema.OpSchema;
import io.mconv.shape.ShapeInference;
import java.util.Optional;

/** Helpers the cleanup passes share: forwarding a value to another, constants, schema forms, shapes. */
final class CleanupSupport {

    private CleanupSupport() {
    }

    /**
     * Why {@code out} cannot be replaced by {@code in} everywhere, or null when it can. Uses are always movable
     * ({@code in} is visible wherever {@code out} is). A graph output is the model's interface: replacing it makes
     * {@code in} take over its name, which is only possible when {@code in} is a node output of the same graph that
     * no one else names: not a graph input (an output that is an input does not work reliably in runtimes, so an
     * identity graph keeps its Identity), not an initializer, not an outer-scope value, not another graph output.
     */
    static String whyNotForward(Value out, Value in, Graph g) {
        if (!out.isGraphOutput()) {
            return null;
        }
        if (in.isGraphInput()) {
            return "'" + out.name() + "' is a graph output and '" + in.name() + "' a graph input (identity graph)";
        }
        if (in.isInitializer()) {
            return "'" + out.name() + "' is a graph output and '" + in.name() + "' an initializer";
        }
        if (in.producer() == null || in.producer().graph() != g) {
            return "'" + out.name() + "' is a graph output and '" + in.name() + "' is not computed in this graph";
        }
        if (in.isGraphOutput()) {
            return "'" + out.name() + "' and '" + in.name() + "' are both graph outputs";
        }
        return null;
    }

    /** Replaces {@code out} by {@code in} (checked with {@link #whyNotForward} first); a graph output keeps its name. */
    static void forward(Value out, Value in) {
        if (in.type() == null && out.type() != null) {
            in.setType(out.type());
        }
        out.replaceAllUsesWith(in, true);
    }

    /** Removes {@code n} when none of its outputs is read or is a graph output; true when removed. */
    static boolean removeIfDead(Node n) {
        if (n.graph() == null) {
            return false;
        }
        for (Value v : n.outputs()) {
            if (v != null && (v.hasUses() || v.isGraphOutput())) {
                return false;
            }
        }
        n.graph().remove(n);
        return true;
    }

    /** The schema of {@code n} at its opset, if known. */
    static Optional<OpSchema> schema(Node n, RuleContext ctx) {
        return ctx.pass().schemas().get(n.domain(), n.opType(), n.opsetVersion());
    }

    /** Whether the schema of {@code n} at its opset has an attribute of that name (the pre-input form). */
    static boolean schemaHasAttribute(Node n, RuleContext ctx, String attribute) {
        return schema(n, ctx).map(s -> s.attribute(attribute).isPresent()).orElse(false);
    }

    /** Whether the schema of {@code n} at its opset has an input slot named {@code name}. */
    static boolean schemaHasInput(Node n, RuleContext ctx, String name) {
        return schema(n, ctx).map(s -> s.inputs().stream().anyMatch(p -> p.name().equals(name))).orElse(false);
    }

    /** Every element of a numeric constant equals {@code target} (0 or 1); false for non-numeric types. */
    static boolean allEqual(Tensor t, int target) {
        DataType dt = t.dataType();
        try {
            if (dt == DataType.FLOAT || dt == DataType.DOUBLE || dt == DataType.FLOAT16
                    || dt == DataType.BFLOAT16) {
                for (double d : t.toDoubleArray()) {
                    if (d != target) { // -0.0 == 0 holds: x + (-0) = x exactly
                        return false;
                    }
                }
                return true;
            }
            if (dt == DataType.STRING || dt == DataType.BOOL || dt == DataType.COMPLEX64
                    || dt == DataType.COMPLEX128 || dt.bits() == 0 || dt.name().startsWith("FLOAT")) {
                return false;
            }
            for (long l : t.toLongArray()) {
                if (l != target) {
                    return false;
                }
            }
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** Runs shape inference with the user's input shapes so shape-dependent checks can see shapes. */
    static void inferShapes(Model model, PassContext context) {
        try {
            ShapeInference.infer(model, context.inputShapes());
        } catch (RuntimeException e) {
            // Checks that need shapes refuse when they are missing; inference failing only means fewer matches.
        }
    }

    /** The rank of {@code v} when its type says, else -1. */
    static int rank(Value v) {
        Shape s = v == null ? null : v.shape();
        return s == null ? -1 : s.rank();
    }

    /**
     * The constant {@code v} holds, or null: not an initializer, or an initializer that is also a graph input
     * (IR &lt; 4 files let a caller override those at run time, so they are not constants).
     */
    static Tensor constant(Value v) {
        if (v == null || v.constValue() == null || v.isGraphInput()) {
            return null;
        }
        return v.constValue();
    }

    /** An int list constant: from an INTS attribute, or null. */
    static long[] ints(Node n, String name) {
        Optional<Attribute> a = n.attribute(name);
        return a.isPresent() && !a.get().isReference() ? a.get().asInts() : null;
    }

    /** A constant int tensor input as longs, or null when absent / not constant / not integer. */
    static long[] constInts(Value v) {
        Tensor t = constant(v);
        if (t == null || (t.dataType() != DataType.INT64 && t.dataType() != DataType.INT32)) {
            return null;
        }
        return t.toLongArray();
    }

    /** Axes normalized against {@code rank} (negative counted from the end); null when one needs an unknown rank. */
    static long[] normalize(long[] axes, int rank) {
        long[] out = new long[axes.length];
        for (int i = 0; i < axes.length; i++) {
            long a = axes[i];
            if (a < 0) {
                if (rank < 0) {
                    return null;
                }
                a += rank;
            }
            out[i] = a;
        }
        return out;
    }
}
