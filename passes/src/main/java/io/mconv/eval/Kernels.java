package io.mconv.eval;

import io.mconv.ir.AttrKey;
import io.mconv.ir.Attribute;
import io.mconv.ir.DataType;
import io.mconv.ir.Node;
import io.mconv.ir.Tensor;
import io.mconv.ir.Value;
import io.mconv.schema.OpSchema;
import io.mconv.schema.OpSchemaRegistry;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.BiFunction;

/**
 * The evaluator's kernel table, keyed by op type of the default ONNX domain. Each entry says what it claims:
 * <ul>
 *   <li>an opset range: from the first schema version whose semantics the kernel implements ({@code minSince}:
 *       Cast-6, where {@code to} became an integer; Tile-6, where {@code repeats} replaced {@code tiles/axis};
 *       Range-11, Expand-8, Where-9, ...) up to the newest opset the schema registry knows (a newer opset may change
 *       the op, so it is refused);</li>
 *   <li>the attributes it understands: a node carrying any other attribute (the legacy {@code broadcast/axis}
 *       of Add-1..6, {@code consumed_inputs} of opset 1, Reshape-1's {@code shape}, a Cast's {@code saturate})
 *       is refused rather than guessed at; reference attributes (in function bodies) and graph attributes too;</li>
 *   <li>the element types: float32, float64, float16 (computed in double, rounded back), int8/16/32/64,
 *       uint8/16/32 and bool; everything else (uint64, bfloat16, float8, string, complex, int4) is refused;
 *       some kernels narrow it (Sqrt and friends: floats only).</li>
 * </ul>
 * Unsupported nodes get a reason from {@link #refusal}; {@link Evaluator} turns it into an
 * {@link UnsupportedEvaluationException} naming the op.
 */
public final class Kernels {

    private record Entry(OpKernel kernel, int minSince, Set<String> attributes) {
    }

    private static final Set<DataType> FLOATS = EnumSet.of(DataType.FLOAT, DataType.DOUBLE, DataType.FLOAT16);
    private static final Set<DataType> SIGNED_AND_FLOATS = EnumSet.of(DataType.FLOAT, DataType.DOUBLE,
            DataType.FLOAT16, DataType.INT8, DataType.INT16, DataType.INT32, DataType.INT64);
    private static final Set<DataType> NUMERIC = EnumSet.of(DataType.FLOAT, DataType.DOUBLE, DataType.FLOAT16,
            DataType.INT8, DataType.INT16, DataType.INT32, DataType.INT64, DataType.UINT8, DataType.UINT16,
            DataType.UINT32);
    private static final Set<DataType> BOOLS = EnumSet.of(DataType.BOOL);

    private static final Kernels STANDARD = build();

    private final Map<String, Entry> entries;
    private final OpSchemaRegistry schemas;

    private Kernels(Map<String, Entry> entries, OpSchemaRegistry schemas) {
        this.entries = Collections.unmodifiableMap(entries);
        this.schemas = schemas;
    }

    public static Kernels standard() {
        return STANDARD;
    }

    /** The op types (default domain) that have a kernel. */
    public SortedSet<String> ops() {
        return new TreeSet<>(entries.keySet());
    }

    public Optional<OpKernel> kernel(String opType) {
        Entry e = entries.get(opType);
        return e == null ? Optional.empty() : Optional.of(e.kernel());
    }

    /** The first opset whose version of {@code opType} a kernel claims, or -1. */
    public int minOpset(String opType) {
        Entry e = entries.get(opType);
        return e == null ? -1 : e.minSince();
    }

    /** The newest opset claimed: the newest the schema registry knows. */
    public int maxOpset() {
        return schemas.maxOpset(OpSchemaRegistry.ONNX_DOMAIN);
    }

    /**
     * Why the evaluator will not compute {@code node} with inputs of these element types (use
     * {@link #inputTypes(Node)} for the node's declared ones), or empty when it claims the node.
     */
    public Optional<String> refusal(Node node, List<DataType> inputTypes) {
        if (!node.isDefaultDomain()) {
            return Optional.of("domain '" + node.domain() + "' has no kernels");
        }
        Entry e = entries.get(node.opType());
        if (e == null) {
            return Optional.of("no kernel for " + node.opType());
        }
        int opset = node.opsetVersion();
        if (opset < 0) {
            return Optional.of("the node's opset is unknown");
        }
        if (opset > maxOpset()) {
            return Optional.of("opset " + opset + " is newer than the schemas the evaluator knows (" + maxOpset()
                    + ")");
        }
        Optional<OpSchema> schema = schemas.get(OpSchemaRegistry.ONNX_DOMAIN, node.opType(), opset);
        if (schema.isEmpty()) {
            return Optional.of(node.opType() + " does not exist at opset " + opset);
        }
        if (schema.get().sinceVersion() < e.minSince()) {
            return Optional.of(node.opType() + "-" + schema.get().sinceVersion() + " is older than the version the "
                    + "kernel implements (" + e.minSince() + ")");
        }
        for (Attribute a : node.attributes()) {
            if (a.isReference()) {
                return Optional.of("attribute '" + a.name() + "' refers to a function attribute");
            }
            if (!e.attributes().contains(a.name())) {
                return Optional.of("attribute '" + a.name() + "' is not supported");
            }
        }
        return e.kernel().refusal(node, inputTypes);
    }

    /** The declared element types of the node's inputs (null where omitted or unknown). */
    public static List<DataType> inputTypes(Node node) {
        List<DataType> out = new ArrayList<>();
        for (Value v : node.inputs()) {
            if (v == null) {
                out.add(null);
            } else if (v.constValue() != null) {
                out.add(v.constValue().dataType());
            } else {
                out.add(v.elemType());
            }
        }
        return out;
    }

    /** The element types of actual input tensors (null for omitted inputs). */
    public static List<DataType> typesOf(List<Tensor> tensors) {
        List<DataType> out = new ArrayList<>();
        for (Tensor t : tensors) {
            out.add(t == null ? null : t.dataType());
        }
        return out;
    }

    // ---- the table -------------------------------------------------------------------------------------------

    private static final class Builder {
        final Map<String, Entry> map = new LinkedHashMap<>();

        void add(String op, int minSince, OpKernel k, String... attributes) {
            map.put(op, new Entry(k, minSince, Set.of(attributes)));
        }

        void array(String op, int minSince, Set<DataType> types, BiFunction<Node, List<NdArray>, NdArray> body,
                   String... attributes) {
            add(op, minSince, new ArrayKernel(body, types, null), attributes);
        }

        void array(String op, int minSince, Set<DataType> types,
                   BiFunction<Node, List<DataType>, Optional<String>> refusal,
                   BiFunction<Node, List<NdArray>, NdArray> body, String... attributes) {
            add(op, minSince, new ArrayKernel(body, types, refusal), attributes);
        }
    }

    private static Kernels build() {
        Builder b = new Builder();
        // elementwise arithmetic (Add-1..6 carried broadcast/axis attributes; refused by the attribute check)
        b.array("Add", 1, NUMERIC, (n, in) -> Ops.binary("Add", in.get(0), in.get(1), null, Double::sum, Long::sum));
        b.array("Sub", 1, NUMERIC, (n, in) -> Ops.binary("Sub", in.get(0), in.get(1), null, (x, y) -> x - y,
                (x, y) -> x - y));
        b.array("Mul", 1, NUMERIC, (n, in) -> Ops.binary("Mul", in.get(0), in.get(1), null, (x, y) -> x * y,
                (x, y) -> x * y));
        b.array("Div", 1, NUMERIC, (n, in) -> Ops.binary("Div", in.get(0), in.get(1), null, (x, y) -> x / y,
                Ops::intDiv));
        // Mod: fmod=0 (integers only) takes the divisor's sign like Python's %; fmod=1 is C's fmod
        b.array("Mod", 10, NUMERIC, (n, in) -> {
            boolean fmod = n.attrIfPresent(AttrKey.ofInt("fmod")).orElse(0L) == 1;
            return Ops.binary("Mod", in.get(0), in.get(1), null,
                    (x, y) -> fmod ? x % y : x - Math.floor(x / y) * y,
                    (x, y) -> fmod ? x % y : Math.floorMod(x, y));
        }, "fmod");
        b.array("Pow", 7, NUMERIC, (n, in) -> Ops.pow(in.get(0), in.get(1)));
        b.array("Min", 1, NUMERIC, (n, in) -> Ops.variadic("Min", in, Ops::min, Math::min));
        b.array("Max", 1, NUMERIC, (n, in) -> Ops.variadic("Max", in, Ops::max, Math::max));
        b.array("Sum", 1, FLOATS, (n, in) -> Ops.variadic("Sum", in, Double::sum, Long::sum));
        b.array("Mean", 1, FLOATS, (n, in) -> {
            NdArray s = Ops.variadic("Mean", in, Double::sum, Long::sum);
            double count = in.size();
            return Ops.unary(s, x -> x / count, x -> x);
        });
        // unary
        b.array("Neg", 1, SIGNED_AND_FLOATS, (n, in) -> Ops.unary(in.get(0), x -> -x, x -> -x));
        b.array("Abs", 1, NUMERIC, (n, in) -> Ops.unary(in.get(0), Math::abs, Math::abs));
        b.array("Sign", 9, NUMERIC, (n, in) -> Ops.unary(in.get(0), Math::signum, Long::signum));
        b.array("Relu", 1, SIGNED_AND_FLOATS, (n, in) -> Ops.unary(in.get(0), x -> x < 0 ? 0 : x,
                x -> Math.max(x, 0)));
        b.array("Sqrt", 1, FLOATS, (n, in) -> Ops.unary(in.get(0), Math::sqrt, x -> x));
        b.array("Exp", 1, FLOATS, (n, in) -> Ops.unary(in.get(0), Math::exp, x -> x));
        b.array("Log", 1, FLOATS, (n, in) -> Ops.unary(in.get(0), Math::log, x -> x));
        b.array("Reciprocal", 1, FLOATS, (n, in) -> Ops.unary(in.get(0), x -> 1 / x, x -> x));
        b.array("Floor", 1, FLOATS, (n, in) -> Ops.unary(in.get(0), Math::floor, x -> x));
        b.array("Ceil", 1, FLOATS, (n, in) -> Ops.unary(in.get(0), Math::ceil, x -> x));
        b.array("Round", 11, FLOATS, (n, in) -> Ops.unary(in.get(0), Math::rint, x -> x));
        b.array("Sigmoid", 1, FLOATS, (n, in) -> Ops.unary(in.get(0), x -> 1 / (1 + Math.exp(-x)), x -> x));
        b.array("Tanh", 1, FLOATS, (n, in) -> Ops.unary(in.get(0), Math::tanh, x -> x));
        b.array("Erf", 9, FLOATS, (n, in) -> Ops.unary(in.get(0), Ops::erf, x -> x));
        b.array("Sin", 7, FLOATS, (n, in) -> Ops.unary(in.get(0), Math::sin, x -> x));
        b.array("Cos", 7, FLOATS, (n, in) -> Ops.unary(in.get(0), Math::cos, x -> x));
        // comparisons and logic (Equal/Less/Greater-1..6 carried broadcast/axis: refused by the attribute check)
        b.array("Equal", 1, null, (n, in) -> Ops.compare("Equal", in.get(0), in.get(1), (x, y) -> Ops.bool(x == y),
                (x, y) -> Ops.lbool(x == y)));
        b.array("Less", 1, NUMERIC, (n, in) -> Ops.compare("Less", in.get(0), in.get(1), (x, y) -> Ops.bool(x < y),
                (x, y) -> Ops.lbool(x < y)));
        b.array("Greater", 1, NUMERIC, (n, in) -> Ops.compare("Greater", in.get(0), in.get(1),
                (x, y) -> Ops.bool(x > y), (x, y) -> Ops.lbool(x > y)));
        b.array("LessOrEqual", 12, NUMERIC, (n, in) -> Ops.compare("LessOrEqual", in.get(0), in.get(1),
                (x, y) -> Ops.bool(x <= y), (x, y) -> Ops.lbool(x <= y)));
        b.array("GreaterOrEqual", 12, NUMERIC, (n, in) -> Ops.compare("GreaterOrEqual", in.get(0), in.get(1),
                (x, y) -> Ops.bool(x >= y), (x, y) -> Ops.lbool(x >= y)));
        b.array("Not", 1, BOOLS, (n, in) -> Ops.unary(in.get(0), x -> x, x -> x == 0 ? 1 : 0));
        b.array("And", 1, BOOLS, (n, in) -> Ops.binary("And", in.get(0), in.get(1), null, (x, y) -> x,
                (x, y) -> x & y));
        b.array("Or", 1, BOOLS, (n, in) -> Ops.binary("Or", in.get(0), in.get(1), null, (x, y) -> x,
                (x, y) -> x | y));
        b.array("Xor", 1, BOOLS, (n, in) -> Ops.binary("Xor", in.get(0), in.get(1), null, (x, y) -> x,
                (x, y) -> x ^ y));
        b.array("Where", 9, BOOLS, (n, in) -> Ops.where(in.get(0), in.get(1), in.get(2)));
        // casts
        b.array("Cast", 6, null, Kernels::castRefusal, (n, in) -> Ops.cast(in.get(0), castTarget(n)), "to");
        b.array("CastLike", 15, null, (n, in) -> Ops.cast(in.get(0), in.get(1).type));
        // shapes and data movement
        b.array("Shape", 1, null, (n, in) -> Ops.shape(n, in.get(0)), "start", "end");
        b.array("Size", 1, null, (n, in) -> Ops.int64(new long[0], in.get(0).size()));
        b.array("Identity", 1, null, (n, in) -> in.get(0));
        b.array("Reshape", 5, null, (n, in) -> Ops.reshape(n, in.get(0), in.get(1)), "allowzero");
        b.array("Flatten", 1, null, (n, in) -> Ops.flatten(n, in.get(0)), "axis");
        b.array("Squeeze", 1, null, Ops::squeeze, "axes");
        b.array("Unsqueeze", 1, null, Ops::unsqueeze, "axes");
        b.array("Transpose", 1, null, (n, in) -> Ops.transpose(n, in.get(0)), "perm");
        b.array("Gather", 1, null, (n, in) -> Ops.gather(n, in.get(0), in.get(1)), "axis");
        b.array("Concat", 1, null, Ops::concat, "axis");
        b.array("Slice", 1, null, Ops::slice, "starts", "ends", "axes");
        b.array("Expand", 8, null, (n, in) -> Ops.expand(in.get(0), in.get(1)));
        b.array("Tile", 6, null, (n, in) -> Ops.tile(in.get(0), in.get(1)));
        b.array("Range", 11, NUMERIC, (n, in) -> Ops.range(in.get(0), in.get(1), in.get(2)));
        b.array("ConstantOfShape", 9, null, Kernels::constantOfShapeRefusal, (n, in) -> Ops.constantOfShape(n, in.get(0)), "value");
        b.add("Constant", 1, new ConstantKernel(), "value", "value_float", "value_floats", "value_int",
                "value_ints");
        // reductions
        reduce(b, "ReduceSum", Ops.Reduction.SUM);
        reduce(b, "ReduceMean", Ops.Reduction.MEAN);
        reduce(b, "ReduceProd", Ops.Reduction.PROD);
        reduce(b, "ReduceMax", Ops.Reduction.MAX);
        reduce(b, "ReduceMin", Ops.Reduction.MIN);
        reduce(b, "ReduceSumSquare", Ops.Reduction.SUM_SQUARE);
        reduce(b, "ReduceL1", Ops.Reduction.L1);
        reduce(b, "ReduceL2", Ops.Reduction.L2);
        reduce(b, "ReduceLogSum", Ops.Reduction.LOG_SUM);
        reduce(b, "ReduceLogSumExp", Ops.Reduction.LOG_SUM_EXP);
        // linear algebra
        b.array("MatMul", 1, NUMERIC, (n, in) -> Ops.matmul(in.get(0), in.get(1)));
        // Gemm-7 dropped the broadcast attribute (refused before); Gelu entered the default domain at opset 20.
        b.array("Gemm", 7, FLOATS, LinearKernels::gemm, "alpha", "beta", "transA", "transB");
        b.array("Gelu", 20, FLOATS, (n, in) -> LinearKernels.gelu(n, in.get(0)), "approximate");
        return new Kernels(b.map, OpSchemaRegistry.standard());
    }

    private static void reduce(Builder b, String op, Ops.Reduction kind) {
        Set<DataType> types = switch (kind) {
            case L2, LOG_SUM, LOG_SUM_EXP -> FLOATS;
            case MAX, MIN -> EnumSet.of(DataType.FLOAT, DataType.DOUBLE, DataType.FLOAT16, DataType.INT8,
                    DataType.INT16, DataType.INT32, DataType.INT64, DataType.UINT8, DataType.UINT16, DataType.UINT32,
                    DataType.BOOL);
            default -> NUMERIC;
        };
        b.array(op, 1, types, (n, in) -> Ops.reduce(n, in, kind), "axes", "keepdims", "noop_with_empty_axes");
    }

    private static Optional<String> castRefusal(Node n, List<DataType> types) {
        Optional<Long> code = n.attrIfPresent(AttrKey.ofInt("to"));
        if (code.isEmpty()) {
            return Optional.of("Cast has no 'to'");
        }
        Optional<DataType> t = DataType.fromCode(code.get().intValue());
        if (t.isEmpty() || !NdArray.supported(t.get())) {
            return Optional.of("element type " + t.map(DataType::toString).orElse("code " + code.get())
                    + " (the 'to' type) is not supported");
        }
        return Optional.empty();
    }

    private static Optional<String> constantOfShapeRefusal(Node n, List<DataType> types) {
        Optional<Attribute> value = n.attribute("value");
        if (value.isPresent() && !NdArray.supported(value.get().asTensor().dataType())) {
            return Optional.of("element type " + value.get().asTensor().dataType() + " (value) is not supported");
        }
        return Optional.empty();
    }

    private static DataType castTarget(Node n) {
        long code = n.attr(AttrKey.ofInt("to"));
        DataType t = DataType.fromCode((int) code).orElseThrow(
                () -> new UnsupportedEvaluationException("Cast: unknown target type code " + code));
        if (!NdArray.supported(t)) {
            throw new UnsupportedEvaluationException("Cast: element type " + t + " is not supported");
        }
        return t;
    }

    /** Constant: numeric value attributes; string and sparse values are refused. */
    private static final class ConstantKernel implements OpKernel {
        @Override
        public List<Tensor> compute(Node node, List<Tensor> inputs) {
            Value v = node.output(0);
            return List.of(Ops.constant(node).toTensor(v == null ? "output" : v.name()));
        }

        @Override
        public Optional<String> refusal(Node node, List<DataType> inputTypes) {
            Optional<Attribute> value = node.attribute("value");
            if (value.isPresent() && !NdArray.supported(value.get().asTensor().dataType())) {
                return Optional.of("element type " + value.get().asTensor().dataType() + " is not supported");
            }
            if (node.attributes().size() != 1) {
                return Optional.of("Constant needs exactly one value attribute");
            }
            return Optional.empty();
        }
    }
}
