package io.mconv.passes.fusion;

import io.mconv.ir.DataType;
import io.mconv.ir.HalfPrecision;
import io.mconv.ir.Node;
import io.mconv.ir.Tensor;
import io.mconv.ir.Usage;
import io.mconv.ir.Value;
import io.mconv.passes.rewrite.RuleContext;
import io.mconv.schema.OpSchema;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Optional;

/**
 * What the fusion rules share: reading constants (initializers, or {@code Constant} nodes as torch exports them),
 * finding the producer of a value inside the rule's own graph, the private-intermediate test, dtype questions
 * asked of the schema registry, and writing folded numbers back in the weight's own dtype.
 */
final class FusionSupport {

    private FusionSupport() {
    }

    /** The constant a value holds: {@link RuleContext#constantOf}. */
    static Tensor constant(Value v) {
        return RuleContext.constantOf(v);
    }

    static boolean isFloatType(DataType t) {
        return t == DataType.FLOAT || t == DataType.DOUBLE || t == DataType.FLOAT16 || t == DataType.BFLOAT16;
    }

    /** A one-element floating or integer constant as double, else null. */
    static Double scalar(Value v) {
        Tensor t = constant(v);
        if (t == null || t.elementCount() != 1) {
            return null;
        }
        if (isFloatType(t.dataType())) {
            return t.toDoubleArray()[0];
        }
        return switch (t.dataType()) {
            case INT8, INT16, INT32, INT64, UINT8, UINT16, UINT32 -> (double) t.toLongArray()[0];
            default -> null;
        };
    }

    /** Whether a scalar constant equals {@code expected} within {@code rel} relative tolerance. */
    static boolean scalarIs(Value v, double expected, double rel) {
        Double d = scalar(v);
        return d != null && Math.abs(d - expected) <= rel * Math.abs(expected);
    }

    /** The producer of {@code v} when it is a default-domain {@code opType} node of the rule's own graph. */
    static Node producer(RuleContext ctx, Value v, String opType) {
        Node p = ctx.producerOf(v, opType);
        return p != null && p.graph() == ctx.graph() ? p : null;
    }

    /** The one node reading {@code v} when it has exactly one reader in the rule's graph and is no graph output. */
    static Node soleConsumer(RuleContext ctx, Value v) {
        if (v == null || v.isGraphOutput()) {
            return null;
        }
        List<Usage> uses = v.uses();
        if (uses.size() != 1 || uses.get(0).node().graph() != ctx.graph()) {
            return null;
        }
        return uses.get(0).node();
    }

    /** As {@link #soleConsumer} when that consumer is a default-domain {@code opType} node. */
    static Node soleConsumer(RuleContext ctx, Value v, String opType) {
        Node c = soleConsumer(ctx, v);
        return c != null && c.isDefaultDomain() && c.opType().equals(opType) ? c : null;
    }

    /** For a two-input node reading {@code known}: the other input (null when both read it or neither does). */
    static Value other(Node binary, Value known) {
        if (binary.inputCount() != 2) {
            return null;
        }
        if (binary.input(0) == known && binary.input(1) != known) {
            return binary.input(1);
        }
        if (binary.input(1) == known && binary.input(0) != known) {
            return binary.input(0);
        }
        return null;
    }

    /** Why {@code v} may not be folded away as an intermediate private to {@code consumer}; null when it may. */
    static String notPrivate(RuleContext ctx, Value v, Node consumer) {
        if (v.isGraphOutput()) {
            return "'" + v.name() + "' is a graph output";
        }
        if (!ctx.isPrivateTo(v, consumer)) {
            return "'" + v.name() + "' has other consumers (fan-out)";
        }
        return null;
    }

    /** The ONNX type string of a tensor element type as the schemas spell it: {@code tensor(float)}. */
    static String typeString(DataType t) {
        String s = switch (t) {
            case FLOAT -> "float";
            case DOUBLE -> "double";
            case FLOAT16 -> "float16";
            case BFLOAT16 -> "bfloat16";
            default -> t.name().toLowerCase();
        };
        return "tensor(" + s + ")";
    }

    /**
     * Whether {@code opType} at this graph's opset accepts {@code type} for its type constraint {@code constraint},
     * asked of the schema registry.
     */
    static boolean acceptsType(RuleContext ctx, String opType, String constraint, DataType type) {
        int version = ctx.graph().opsetVersion("");
        Optional<OpSchema> s = ctx.pass().schemas().get("", opType, version);
        return s.isPresent() && s.get().typeConstraint(constraint).map(c -> c.allows(typeString(type)))
                .orElse(false);
    }

    /** The schema of a default-domain op at this graph's opset. */
    static Optional<OpSchema> schema(RuleContext ctx, String opType) {
        return ctx.pass().schemas().get("", opType, ctx.graph().opsetVersion(""));
    }

    /** Dtypes whose values {@link #tensor} can write back. */
    static boolean writable(DataType t) {
        return t == DataType.FLOAT || t == DataType.DOUBLE || t == DataType.FLOAT16;
    }

    /** A tensor of {@code type} (FLOAT, DOUBLE or FLOAT16) holding {@code values} rounded once. */
    static Tensor tensor(String name, DataType type, long[] dims, double[] values) {
        switch (type) {
            case FLOAT -> {
                float[] f = new float[values.length];
                for (int i = 0; i < f.length; i++) {
                    f[i] = (float) values[i];
                }
                return Tensor.ofFloats(name, dims, f);
            }
            case DOUBLE -> {
                return Tensor.ofDoubles(name, dims, values);
            }
            case FLOAT16 -> {
                ByteBuffer b = ByteBuffer.allocate(values.length * 2).order(ByteOrder.LITTLE_ENDIAN);
                for (double d : values) {
                    b.putShort(HalfPrecision.floatToFloat16((float) d));
                }
                b.flip();
                return Tensor.ofRaw(name, DataType.FLOAT16, dims, b);
            }
            default -> throw new IllegalArgumentException("cannot write " + type);
        }
    }

    /**
     * The per-channel values of a constant that broadcasts against a tensor of rank {@code rank} only along
     * axis {@code channelAxis} (size {@code channels}): every other dimension is 1 after right-aligned broadcasting,
     * and the constant has no more dimensions than the tensor. Returns {@code channels} values (a size-1 channel
     * dimension repeats), or null when the constant has another shape.
     */
    static double[] perChannel(Tensor t, int rank, int channelAxis, long channels) {
        long[] dims = t.dims();
        if (dims.length > rank) {
            return null;
        }
        int offset = rank - dims.length;
        long c = 1;
        for (int i = 0; i < dims.length; i++) {
            int axis = i + offset;
            if (axis == channelAxis) {
                c = dims[i];
            } else if (dims[i] != 1) {
                return null;
            }
        }
        if (c != 1 && c != channels) {
            return null;
        }
        double[] v = t.toDoubleArray();
        double[] out = new double[(int) channels];
        for (int i = 0; i < out.length; i++) {
            out[i] = c == 1 ? v[0] : v[i];
        }
        return out;
    }
}
