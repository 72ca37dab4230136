package io.mconv.passes.opset;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mconv.ir.Attribute;
import io.mconv.ir.DataType;
import io.mconv.ir.Graph;
import io.mconv.ir.GraphVerifier;
import io.mconv.ir.Model;
import io.mconv.ir.Node;
import io.mconv.ir.Tensor;
import io.mconv.ir.Value;
import io.mconv.ir.testing.ModelBuilder;
import io.mconv.schema.OpSchemaRegistry;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The converter's rewrites, checked on the structure they produce (ORT-level equivalence: the agent's tests). */
class OpsetConverterTest {

    private final OpsetConverter converter = new OpsetConverter(OpSchemaRegistry.standard());

    private static List<String> ops(Model m) {
        return m.graph().nodes().stream().map(Node::opType).toList();
    }

    private static Node only(Model m, String op) {
        List<Node> found = m.graph().nodes().stream().filter(n -> n.opType().equals(op)).toList();
        assertEquals(1, found.size(), op + " in " + ops(m));
        return found.get(0);
    }

    private static long[] constInts(Value v) {
        return NodeEditor.constantOf(v).orElseThrow().toLongArray();
    }

    private Model convert(ModelBuilder b, int target) {
        converter.convert(b.model(), target);
        GraphVerifier.verify(b.model());
        assertEquals(target, b.model().opsetVersion(""));
        return b.model();
    }

    @Test
    void softmaxOnANonLastAxisIsFlattenedAndReshapedWhenRaisedPast13() {
        ModelBuilder b = new ModelBuilder(11);
        Value x = b.input("x", DataType.FLOAT, 2, 3, 4);
        b.output(b.nodeWith("Softmax", new Attribute[] {Attribute.ofInt("axis", 1)}, x), DataType.FLOAT, 2, 3, 4);
        Model m = convert(b, 13);
        assertEquals(List.of("Flatten", "Softmax", "Shape", "Reshape"), ops(m));
        assertEquals(1, only(m, "Flatten").attribute("axis").orElseThrow().asInt());
        assertEquals(1, only(m, "Softmax").attribute("axis").orElseThrow().asInt());
        assertEquals("softmax_0", m.graph().outputs().get(0).name());
    }

    @Test
    void softmaxOnTheLastAxisKeepsOneNodeBothWays() {
        ModelBuilder b = new ModelBuilder(11);
        Value x = b.input("x", DataType.FLOAT, 2, 3, 4);
        b.output(b.nodeWith("LogSoftmax", new Attribute[] {Attribute.ofInt("axis", 2)}, x), DataType.FLOAT, 2, 3, 4);
        Model m = convert(b, 17);
        assertEquals(List.of("LogSoftmax"), ops(m));
        converter.convert(m, 11);
        assertEquals(List.of("LogSoftmax"), ops(m));
        assertEquals(2, only(m, "LogSoftmax").attribute("axis").orElseThrow().asInt());
    }

    @Test
    void softmaxOnAMiddleAxisIsTransposedLastWhenLowered() {
        ModelBuilder b = new ModelBuilder(13);
        Value x = b.input("x", DataType.FLOAT, 2, 3, 4);
        b.output(b.nodeWith("Softmax", new Attribute[] {Attribute.ofInt("axis", 1)}, x), DataType.FLOAT, 2, 3, 4);
        Model m = convert(b, 12);
        assertEquals(List.of("Transpose", "Softmax", "Transpose"), ops(m));
        List<Node> t = m.graph().nodes().stream().filter(n -> n.opType().equals("Transpose")).toList();
        assertArrayEquals(new long[] {0, 2, 1}, t.get(0).attribute("perm").orElseThrow().asInts());
        assertArrayEquals(new long[] {0, 2, 1}, t.get(1).attribute("perm").orElseThrow().asInts());
        assertEquals(2, only(m, "Softmax").attribute("axis").orElseThrow().asInt());
    }

    @Test
    void squeezeAndReduceAxesMoveToInputsAndBack() {
        ModelBuilder b = new ModelBuilder(11);
        Value x = b.input("x", DataType.FLOAT, 2, 1, 4);
        Value s = b.nodeWith("Squeeze", new Attribute[] {Attribute.ofInts("axes", 1)}, x);
        b.output(b.nodeWith("ReduceMean", new Attribute[] {Attribute.ofInts("axes", -1)}, s), DataType.FLOAT, 2, 1);
        Model m = convert(b, 18);
        assertArrayEquals(new long[] {1}, constInts(only(m, "Squeeze").input(1)));
        assertArrayEquals(new long[] {-1}, constInts(only(m, "ReduceMean").input(1)));
        assertTrue(only(m, "ReduceMean").attribute("axes").isEmpty());
        converter.convert(m, 12);
        GraphVerifier.verify(m);
        assertEquals(1, only(m, "Squeeze").inputCount());
        assertArrayEquals(new long[] {1}, only(m, "Squeeze").attribute("axes").orElseThrow().asInts());
        assertArrayEquals(new long[] {-1}, only(m, "ReduceMean").attribute("axes").orElseThrow().asInts());
    }

    @Test
    void splitGainsNumOutputsAt18AndLowersToExplicitSizes() {
        ModelBuilder b = new ModelBuilder(11);
        Value x = b.input("x", DataType.FLOAT, 6, 2);
        Node split = new Node("", "Split", "split");
        split.addInput(x);
        split.addOutput(new Value("a", null));
        split.addOutput(new Value("b", null));
        b.graph().append(split);
        b.output(split.output(0)).output(split.output(1));
        Model m = convert(b, 18);
        assertEquals(2, only(m, "Split").attribute("num_outputs").orElseThrow().asInt());
        converter.convert(m, 11);
        GraphVerifier.verify(m);
        assertArrayEquals(new long[] {3, 3}, only(m, "Split").attribute("split").orElseThrow().asInts());
        assertEquals(1, only(m, "Split").inputCount());
    }

    @Test
    void padAndClipAttributesBecomeTypedInputs() {
        ModelBuilder b = new ModelBuilder(10);
        Value x = b.input("x", DataType.FLOAT, 2, 3);
        Value p = b.nodeWith("Pad", new Attribute[] {Attribute.ofInts("pads", 0, 1, 0, 1),
                Attribute.ofFloat("value", 2.5f)}, x);
        b.output(b.nodeWith("Clip", new Attribute[] {Attribute.ofFloat("min", 0f), Attribute.ofFloat("max", 6f)}, p),
                DataType.FLOAT, 2, 5);
        Model m = convert(b, 13);
        Node pad = only(m, "Pad");
        assertArrayEquals(new long[] {0, 1, 0, 1}, constInts(pad.input(1)));
        Tensor value = NodeEditor.constantOf(pad.input(2)).orElseThrow();
        assertEquals(DataType.FLOAT, value.dataType());
        assertEquals(2.5f, value.toFloatArray()[0]);
        Node clip = only(m, "Clip");
        assertEquals(6f, NodeEditor.constantOf(clip.input(2)).orElseThrow().toFloatArray()[0]);
        converter.convert(m, 10);
        assertEquals(2.5f, only(m, "Pad").attribute("value").orElseThrow().asFloat());
        assertEquals(0f, only(m, "Clip").attribute("min").orElseThrow().asFloat());
    }

    @Test
    void upsampleBecomesAnAsymmetricFloorResize() {
        ModelBuilder b = new ModelBuilder(9);
        Value x = b.input("x", DataType.FLOAT, 1, 1, 2, 2);
        Value scales = b.constant(Tensor.ofFloats("scales", new long[] {4}, 1, 1, 2, 3));
        b.output(b.node("Upsample", x, scales), DataType.FLOAT, 1, 1, 4, 6);
        Model m = convert(b, 13);
        Node r = only(m, "Resize");
        assertEquals("asymmetric", r.attribute("coordinate_transformation_mode").orElseThrow().asString());
        assertEquals("floor", r.attribute("nearest_mode").orElseThrow().asString());
        assertEquals(null, r.input(1));
        assertEquals(scales, r.input(2));
        assertEquals("upsample_0", m.graph().outputs().get(0).name());
        converter.convert(m, 8);
        GraphVerifier.verify(m);
        assertArrayEquals(new float[] {1, 1, 2, 3}, only(m, "Upsample").attribute("scales").orElseThrow().asFloats());
    }

    @Test
    void topKAndSliceAttributesBecomeInputs() {
        ModelBuilder b = new ModelBuilder(9);
        Value x = b.input("x", DataType.FLOAT, 4, 5);
        Value s = b.nodeWith("Slice", new Attribute[] {Attribute.ofInts("starts", 1), Attribute.ofInts("ends", 3),
                Attribute.ofInts("axes", 0)}, x);
        Node topk = new Node("", "TopK", "topk");
        topk.addInput(s);
        topk.setAttribute(Attribute.ofInt("k", 2));
        topk.addOutput(new Value("values", null));
        topk.addOutput(new Value("indices", null));
        b.graph().append(topk);
        b.output(topk.output(0));
        Model m = convert(b, 11);
        assertArrayEquals(new long[] {2}, constInts(only(m, "TopK").input(1)));
        assertArrayEquals(new long[] {1}, constInts(only(m, "Slice").input(1)));
        assertArrayEquals(new long[] {0}, constInts(only(m, "Slice").input(3)));
    }

    @Test
    void layerNormalizationIsWrittenOutBelow17() {
        ModelBuilder b = new ModelBuilder(17);
        Value x = b.input("x", DataType.FLOAT, 2, 8);
        b.output(b.node("LayerNormalization", x, b.weight("scale", 8), b.weight("bias", 8)), DataType.FLOAT, 2, 8);
        Model m = convert(b, 13);
        assertEquals(2, ops(m).stream().filter("ReduceMean"::equals).count());
        assertTrue(ops(m).containsAll(List.of("Sub", "Mul", "Sqrt", "Div", "Add")), ops(m).toString());
        assertEquals("layernormalization_0", m.graph().outputs().get(0).name());
    }

    @Test
    void subgraphsAreConvertedToo() {
        ModelBuilder b = new ModelBuilder(11);
        Value cond = b.input("cond", DataType.BOOL);
        Value x = b.input("x", DataType.FLOAT, 1, 3);
        Graph then = new Graph("then");
        Node sq = new Node("", "Squeeze", "inner_squeeze");
        sq.addInput(x);
        sq.setAttribute(Attribute.ofInts("axes", 0));
        sq.addOutput(new Value("then_out", null));
        then.append(sq);
        then.addOutput(sq.output(0));
        Graph otherwise = new Graph("else");
        Node id = new Node("", "Identity", "inner_identity");
        id.addInput(x);
        id.addOutput(new Value("else_out", null));
        otherwise.append(id);
        otherwise.addOutput(id.output(0));
        Value y = b.nodeWith("If", new Attribute[] {Attribute.ofGraph("then_branch", then),
                Attribute.ofGraph("else_branch", otherwise)}, cond);
        b.output(y);
        Model m = convert(b, 13);
        Node inner = only(m, "If").subgraphs().get(0).nodes().stream().filter(n -> n.opType().equals("Squeeze"))
                .findFirst().orElseThrow();
        assertEquals(2, inner.inputCount());
        assertArrayEquals(new long[] {0}, constInts(inner.input(1)));
    }

    @Test
    void groupNormalizationScalesArePerChannelAt21() {
        ModelBuilder b = new ModelBuilder(18);
        Value x = b.input("x", DataType.FLOAT, 1, 4, 3);
        Value scale = b.constant(Tensor.ofFloats("scale", new long[] {2}, 1f, 2f));
        Value bias = b.constant(Tensor.ofFloats("bias", new long[] {2}, 0f, 5f));
        b.output(b.nodeWith("GroupNormalization", new Attribute[] {Attribute.ofInt("num_groups", 2)}, x, scale,
                bias), DataType.FLOAT, 1, 4, 3);
        Model m = convert(b, 21);
        Node gn = only(m, "GroupNormalization");
        assertArrayEquals(new float[] {1, 1, 2, 2}, NodeEditor.constantOf(gn.input(1)).orElseThrow().toFloatArray());
        assertArrayEquals(new float[] {0, 0, 5, 5}, NodeEditor.constantOf(gn.input(2)).orElseThrow().toFloatArray());
        converter.convert(m, 18);
        assertArrayEquals(new float[] {1, 2}, NodeEditor.constantOf(only(m, "GroupNormalization").input(1))
                .orElseThrow().toFloatArray());
    }

    @Test
    void anOperatorMissingAtTheTargetIsNamedAndEveryBlockerListed() {
        ModelBuilder b = new ModelBuilder(18);
        Value x = b.input("x", DataType.FLOAT, 1, 4, 3);
        Value g = b.nodeWith("GroupNormalization", new Attribute[] {Attribute.ofInt("num_groups", 2)}, x,
                b.weight("s", 2), b.weight("b", 2));
        b.output(b.node("Mish", g), DataType.FLOAT, 1, 4, 3);
        OpsetConversionException e = assertThrows(OpsetConversionException.class,
                () -> converter.convert(b.model(), 13));
        assertEquals(2, e.refusals().size(), e.refusals().toString());
        assertTrue(e.getMessage().contains("GroupNormalization has no definition at opset 13 (defined from opset 18)"),
                e.getMessage());
        assertTrue(e.getMessage().contains("Mish has no definition at opset 13"), e.getMessage());
    }

    @Test
    void batchNormalizationWithPerElementStatisticsIsRefused() {
        ModelBuilder b = new ModelBuilder(7);
        Value x = b.input("x", DataType.FLOAT, 1, 2, 3);
        b.output(b.nodeWith("BatchNormalization", new Attribute[] {Attribute.ofInt("spatial", 0)}, x,
                b.weight("s", 2, 3), b.weight("b", 2, 3), b.weight("m", 2, 3), b.weight("v", 2, 3)),
                DataType.FLOAT, 1, 2, 3);
        OpsetConversionException e = assertThrows(OpsetConversionException.class,
                () -> converter.convert(b.model(), 15));
        assertTrue(e.getMessage().contains("spatial=0"), e.getMessage());
    }

    @Test
    void targetsOutsideTheKnownRangeAreRejected() {
        ModelBuilder b = new ModelBuilder(13);
        b.output(b.node("Relu", b.input("x", DataType.FLOAT, 2)), DataType.FLOAT, 2);
        assertThrows(IllegalArgumentException.class, () -> converter.convert(b.model(), 6));
        assertThrows(IllegalArgumentException.class, () -> converter.convert(b.model(), 22));
        OpsetConverter.Result r = converter.convert(b.model(), 21);
        assertEquals(13, r.from());
        assertEquals(10L, b.model().irVersion());
        assertEquals(List.of("Relu"), ops(b.model()));
    }
}
