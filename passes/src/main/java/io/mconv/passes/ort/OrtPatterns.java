package io.mconv.passes.ort;

import io.mconv.ir.DataType;
import io.mconv.ir.Node;
import io.mconv.ir.Shape;
import io.mconv.ir.Tensor;
import io.mconv.ir.Value;
import io.mconv.passes.rewrite.RuleContext;

/** Small read-only questions the ORT fusion rules share. */
final class OrtPatterns {

    private OrtPatterns() {
    }

    /** The constant a value holds: {@link RuleContext#constantOf}. */
    static Tensor constant(Value v) {
        return RuleContext.constantOf(v);
    }

    /** The single value of a float32 constant with one element (any rank), or null. */
    static Float scalar(Value v) {
        Tensor t = constant(v);
        if (t == null || t.dataType() != DataType.FLOAT || t.elementCount() != 1) {
            return null;
        }
        return t.toFloatArray()[0];
    }

    /** Whether {@code v} is a float32 constant with one element within 1e-6 (relative) of {@code expected}. */
    static boolean isScalar(Value v, double expected) {
        Float s = scalar(v);
        return s != null && Math.abs(s - expected) <= 1e-6 * Math.abs(expected);
    }

    /** The producer of {@code v} if it is a default-domain node of type {@code opType}; else null. */
    static Node producer(Value v, String opType) {
        if (v == null || v.producer() == null) {
            return null;
        }
        Node p = v.producer();
        return p.isDefaultDomain() && p.opType().equals(opType) ? p : null;
    }

    /** The input of a two-input node other than {@code one} (by identity), or null when neither input is it. */
    static Value other(Node binary, Value one) {
        if (binary.input(0) == one) {
            return binary.input(1);
        }
        if (binary.input(1) == one) {
            return binary.input(0);
        }
        return null;
    }

    /** Null when the value is known to be float32; else the reason it does not qualify. */
    static String notFloat32(Value v) {
        DataType t = v.elemType();
        if (t == null) {
            return "element type of " + v.name() + " unknown";
        }
        return t == DataType.FLOAT ? null : v.name() + " is " + t + ", the fused kernel is float32 only here";
    }

    /** Null when {@code v} is an intermediate private to {@code consumer}; else the reason. */
    static String notPrivate(RuleContext ctx, Value v, Node consumer) {
        if (v.isGraphOutput()) {
            return "intermediate " + v.name() + " is a graph output";
        }
        if (!ctx.isPrivateTo(v, consumer)) {
            return "intermediate " + v.name() + " has other consumers (fan-out " + v.uses().size() + ")";
        }
        return null;
    }

    /** Whether every use of {@code v} is by one of {@code nodes} and it is not a graph output. */
    static boolean onlyUsedBy(Value v, Node... nodes) {
        if (v.isGraphOutput()) {
            return false;
        }
        return v.uses().stream().allMatch(u -> {
            for (Node n : nodes) {
                if (u.node() == n) {
                    return true;
                }
            }
            return false;
        });
    }

    /** The rank of {@code v} when known, else -1. */
    static int rank(Value v) {
        Shape s = v.shape();
        return s == null ? -1 : s.rank();
    }

    /** The last dimension of {@code v} when statically known, else -1. */
    static long lastDim(Value v) {
        Shape s = v.shape();
        if (s == null || s.rank() == 0 || !s.dim(s.rank() - 1).isKnown()) {
            return -1;
        }
        return s.dim(s.rank() - 1).value();
    }
}
