package io.mconv.passes.ort;

import static io.mconv.passes.ort.OrtTestSupport.attrs;
import static io.mconv.passes.ort.OrtTestSupport.fuse;
import static io.mconv.passes.ort.OrtTestSupport.ops;
import static io.mconv.passes.ort.OrtTestSupport.refusal;
import static io.mconv.passes.ort.OrtTestSupport.scalar;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mconv.ir.Attribute;
import io.mconv.ir.DataType;
import io.mconv.ir.Model;
import io.mconv.ir.Node;
import io.mconv.ir.Tensor;
import io.mconv.ir.Value;
import io.mconv.ir.serde.ModelCopier;
import io.mconv.ir.testing.ModelBuilder;
import io.mconv.passes.OptimizationLevel;
import io.mconv.passes.Pass;
import io.mconv.passes.PassContext;
import io.mconv.passes.PassRegistry;
import io.mconv.passes.Target;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** ort-fuse-attention on small hand-built attention blocks (2 heads of 8, hidden 16), checked in ONNX Runtime. */
class FuseAttentionTest {

    private static final Pass PASS = FuseAttention.pass();
    private static final float SCALE = (float) (1 / Math.sqrt(8));

    /** Variations of the block. */
    private record Options(float scale, String scaleOp, boolean mask, boolean scoresFanOut, boolean probsOutput,
                           long softmaxAxis, boolean keyTwoTransposes, DataType type) {
        static Options plain() {
            return new Options(SCALE, "Mul", false, false, false, -1, false, DataType.FLOAT);
        }

        Options with(UnaryOperator<Options> f) {
            return f.apply(this);
        }
    }

    private static Value t(ModelBuilder b, Value v, long... perm) {
        return b.nodeWith("Transpose", attrs(Attribute.ofInts("perm", perm)), v);
    }

    private static Value heads(ModelBuilder b, Value v) {
        return b.node("Reshape", v, b.constant(Tensor.ofLongs(b.graph().uniqueName("split"), new long[] {4},
                0, 0, 2, 8)));
    }

    /**
     * x (2, 5, 16) -> Q/K/V projections (MatMul + Add, the bias as the first Add operand for K) -> attention with
     * 2 heads of 8 -> (2, 5, 16) graph output.
     */
    private static Model block(Options o) {
        ModelBuilder b = new ModelBuilder(17);
        Value q;
        Value k;
        Value v;
        if (o.type() == DataType.FLOAT) {
            Value x = b.input("x", DataType.FLOAT, 2, 5, 16);
            q = b.node("Add", b.node("MatMul", x, b.weight("wq", 16, 16)), b.weight("bq", 16));
            k = b.node("Add", b.weight("bk", 16), b.node("MatMul", x, b.weight("wk", 16, 16)));
            v = b.node("Add", b.node("MatMul", x, b.weight("wv", 16, 16)), b.weight("bv", 16));
        } else {
            q = b.input("q", o.type(), 2, 5, 16);
            k = b.input("k", o.type(), 2, 5, 16);
            v = b.input("v", o.type(), 2, 5, 16);
        }
        Value qh = t(b, heads(b, q), 0, 2, 1, 3);
        Value kt = o.keyTwoTransposes() ? t(b, t(b, heads(b, k), 0, 2, 1, 3), 0, 1, 3, 2)
                : t(b, heads(b, k), 0, 2, 3, 1);
        Value vh = t(b, heads(b, v), 0, 2, 1, 3);
        Value scores = b.node("MatMul", qh, kt);
        if (o.scaleOp() != null) {
            float c = o.scaleOp().equals("Div") ? 1 / o.scale() : o.scale();
            scores = b.node(o.scaleOp(), scores, scalar(b, "scale", c));
        }
        if (o.scoresFanOut()) {
            b.output(b.nodeWith("ReduceMax", attrs(Attribute.ofInt("keepdims", 0)), scores), DataType.FLOAT);
        }
        if (o.mask()) {
            scores = b.node("Add", scores, b.weight("mask", 1, 1, 1, 5));
        }
        Value probs = b.nodeWith("Softmax", attrs(Attribute.ofInt("axis", o.softmaxAxis())), scores);
        if (o.probsOutput()) {
            b.output(probs, DataType.FLOAT, 2, 2, 5, 5);
        }
        Value ctx = t(b, b.node("MatMul", probs, vh), 0, 2, 1, 3);
        Value y = b.node("Reshape", ctx, b.constant(Tensor.ofLongs("merge", new long[] {3}, 0, 0, 16)));
        b.output(y, o.type(), 2, 5, 16);
        return b.model();
    }

    private static Node mha(Model m) {
        for (Node n : m.graph()) {
            if (n.opType().equals(FuseAttention.OP)) {
                return n;
            }
        }
        throw new AssertionError("no MultiHeadAttention");
    }

    @Test
    void projectedSelfAttentionBecomesMultiHeadAttention() {
        Model before = block(Options.plain());
        Model after = fuse(PASS, before, 1);
        assertEquals(Map.of("MatMul", 3, "Add", 3, "com.microsoft::MultiHeadAttention", 1), ops(after));
        Node n = mha(after);
        assertEquals("com.microsoft", n.domain());
        assertEquals(2, n.attribute("num_heads").orElseThrow().asInt());
        assertEquals(SCALE, n.attribute("scale").orElseThrow().asFloat());
        assertEquals(3, n.inputCount());
        assertEquals(List.of("add_1", "add_3", "add_5"), n.inputs().stream().map(Value::name).toList(),
                "the projection outputs (the Adds) are query, key and value");
        assertEquals(before.graph().outputs().get(0).name(), after.graph().outputs().get(0).name(),
                "the graph output keeps its name");
        assertEquals(FuseAttention.OP, after.graph().outputs().get(0).producer().opType());
        // the reshape targets and the scale constant went with the block
        assertEquals(6, after.graph().initializers().size(), after.graph().initializers().keySet().toString());
    }

    @Test
    void divByRootOfHeadSizeAndNoScaleAreMatchedToo() {
        Model div = fuse(PASS, block(Options.plain().with(o -> new Options(SCALE, "Div", false, false, false, -1,
                false, DataType.FLOAT))), 1);
        assertEquals(SCALE, mha(div).attribute("scale").orElseThrow().asFloat(), 1e-7f);
        Model none = fuse(PASS, block(Options.plain().with(o -> new Options(1f, null, false, false, false, 3,
                false, DataType.FLOAT))), 1);
        assertEquals(1f, mha(none).attribute("scale").orElseThrow().asFloat());
    }

    @Test
    void aScaleOtherThanTheDefaultIsPassedExplicitly() {
        Model after = fuse(PASS, block(Options.plain().with(o -> new Options(0.5f, "Mul", false, false, false, -1,
                false, DataType.FLOAT))), 1);
        assertEquals(0.5f, mha(after).attribute("scale").orElseThrow().asFloat());
    }

    @Test
    void theFusedMatMulFormLeftByOrtFuseFusedMatMulIsAccepted() {
        Model before = block(Options.plain());
        Model mid = ModelCopier.copy(before);
        assertEquals(1, FuseFusedMatMul.pass().run(mid, OrtTestSupport.CTX).rewrites());
        assertEquals(1, ops(mid).get("com.microsoft::FusedMatMul"));
        Model after = fuse(PASS, mid, 1);
        assertEquals(Map.of("MatMul", 3, "Add", 3, "com.microsoft::MultiHeadAttention", 1), ops(after));
        assertEquals(SCALE, mha(after).attribute("scale").orElseThrow().asFloat());
        io.mconv.agent.testing.OrtEquivalence.assertSameOutputs(before, after);

        // K as [0,2,1,3] then a last-two-axes swap: FusedMatMul absorbs the swap as transB=1
        Model swapped = block(Options.plain().with(o -> new Options(SCALE, "Mul", false, false, false, -1, true,
                DataType.FLOAT)));
        assertTrue(refusal(PASS, swapped).contains("the K Transpose has perm [0, 1, 3, 2]"),
                "two transposes on K are another layout for the plain form");
        Model viaFused = ModelCopier.copy(swapped);
        FuseFusedMatMul.pass().run(viaFused, OrtTestSupport.CTX);
        Node f = viaFused.graph().nodes().stream().filter(n -> n.opType().equals("FusedMatMul")).findFirst()
                .orElseThrow();
        assertEquals(1, f.attribute("transB").orElseThrow().asInt());
        Model fused = fuse(PASS, viaFused, 1);
        io.mconv.agent.testing.OrtEquivalence.assertSameOutputs(swapped, fused);
    }

    @Test
    void aMaskAddBeforeSoftmaxIsRefused() {
        String why = refusal(PASS, block(Options.plain().with(o -> new Options(SCALE, "Mul", true, false, false,
                -1, false, DataType.FLOAT))));
        assertTrue(why.contains("an Add (an attention mask or bias) between the scores and Softmax"), why);
    }

    @Test
    void scoresReadElsewhereAreRefused() {
        String why = refusal(PASS, block(Options.plain().with(o -> new Options(SCALE, "Mul", false, true, false,
                -1, false, DataType.FLOAT))));
        assertTrue(why.contains("has other consumers (fan-out 2)"), why);
    }

    @Test
    void probabilitiesThatAreAGraphOutputAreRefused() {
        String why = refusal(PASS, block(Options.plain().with(o -> new Options(SCALE, "Mul", false, false, true,
                -1, false, DataType.FLOAT))));
        assertTrue(why.contains("is a graph output"), why);
    }

    @Test
    void softmaxOverAnotherAxisIsRefused() {
        String why = refusal(PASS, block(Options.plain().with(o -> new Options(SCALE, "Mul", false, false, false,
                2, false, DataType.FLOAT))));
        assertTrue(why.contains("Softmax over axis 2, not the last axis"), why);
    }

    @Test
    void nonFloat32AndNonPositiveScalesAreRefused() {
        String dbl = refusal(PASS, block(Options.plain().with(o -> new Options(SCALE, "Mul", false, false, false,
                -1, false, DataType.DOUBLE))));
        assertTrue(dbl.contains("q is float64, the fused kernel is float32 only here"), dbl);
        String zero = refusal(PASS, block(Options.plain().with(o -> new Options(0f, "Mul", false, false, false,
                -1, false, DataType.FLOAT))));
        assertTrue(zero.contains("attention scale 0.0 is not a positive finite number"), zero);
    }

    @Test
    void aHeadSplitThatIsNotAConstantIsRefused() {
        ModelBuilder b = new ModelBuilder(17);
        Value q = b.input("q", DataType.FLOAT, 2, 5, 16);
        Value target = b.input("target", DataType.INT64, 4);
        Value qh = t(b, b.node("Reshape", q, target), 0, 2, 1, 3);
        Value kt = t(b, heads(b, q), 0, 2, 3, 1);
        Value vh = t(b, heads(b, q), 0, 2, 1, 3);
        Value probs = b.nodeWith("Softmax", attrs(Attribute.ofInt("axis", -1)), b.node("MatMul", qh, kt));
        Value y = b.node("Reshape", t(b, b.node("MatMul", probs, vh), 0, 2, 1, 3),
                b.constant(Tensor.ofLongs("merge", new long[] {3}, 0, 0, 16)));
        b.output(y, DataType.FLOAT, 2, 5, 16);
        String why = refusal(PASS, b.model());
        assertTrue(why.contains("unknown head count"), why);
    }

    @Test
    void aBroadcastKeyBatchIsRefused() {
        ModelBuilder b = new ModelBuilder(17);
        Value q = b.input("q", DataType.FLOAT, 2, 5, 16);
        Value k = b.input("k", DataType.FLOAT, 1, 5, 16);
        Value qh = t(b, heads(b, q), 0, 2, 1, 3);
        Value kt = t(b, heads(b, k), 0, 2, 3, 1);
        Value vh = t(b, heads(b, q), 0, 2, 1, 3);
        Value probs = b.nodeWith("Softmax", attrs(Attribute.ofInt("axis", -1)), b.node("MatMul", qh, kt));
        Value y = b.node("Reshape", t(b, b.node("MatMul", probs, vh), 0, 2, 1, 3),
                b.constant(Tensor.ofLongs("merge", new long[] {3}, 0, 0, 16)));
        b.output(y, DataType.FLOAT, 2, 5, 16);
        String why = refusal(PASS, b.model());
        assertTrue(why.contains("the batch dims of Q, K and V are not provably equal"), why);
    }

    @Test
    void thePassIsOrtOnlyAndAggressive() {
        assertEquals(java.util.Set.of(Target.ORT), PASS.targets());
        assertEquals(OptimizationLevel.AGGRESSIVE, PASS.level());
        List<String> portable = PassRegistry.standard().select(OptimizationLevel.AGGRESSIVE, Target.PORTABLE,
                List.of(), List.of()).stream().map(Pass::name).toList();
        assertFalse(portable.contains(FuseAttention.NAME), portable.toString());
        List<String> ort = PassRegistry.standard().select(OptimizationLevel.AGGRESSIVE, Target.ORT, List.of(),
                List.of()).stream().map(Pass::name).toList();
        assertTrue(ort.indexOf(FuseAttention.NAME) >= 0
                && ort.indexOf(FuseAttention.NAME) < ort.indexOf(FuseFusedMatMul.NAME), ort.toString());
        // the portable pipeline leaves the block alone
        Model m = block(Options.plain());
        Map<String, Integer> before = ops(m);
        new io.mconv.passes.PassManager(PassRegistry.standard().select(OptimizationLevel.AGGRESSIVE,
                Target.PORTABLE, List.of(), List.of())).run(m, PassContext.of(OptimizationLevel.AGGRESSIVE,
                Target.PORTABLE));
        assertEquals(before.get("Softmax"), ops(m).get("Softmax"));
        assertEquals(null, ops(m).get("com.microsoft::MultiHeadAttention"));
    }
}
