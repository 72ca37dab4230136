package io.mconv.passes.opset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mconv.ir.Attribute;
import io.mconv.ir.DataType;
import io.mconv.ir.GraphVerifier;
import io.mconv.ir.Model;
import io.mconv.ir.Node;
import io.mconv.ir.Value;
import io.mconv.ir.serde.ProtoExporter;
import io.mconv.ir.serde.ProtoImporter;
import io.mconv.ir.testing.ModelBuilder;
import io.mconv.onnx.proto.Onnx;
import io.mconv.passes.Target;
import io.mconv.schema.OpSchemaRegistry;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * LayerNormalization below opset 17: written out for the portable target (standard ONNX has no such operator there),
 * kept for the ORT target (ONNX Runtime registers it in the ONNX domain at opsets 1 to 16; that the kept node runs
 * and matches is proved in ORT by the agent's OrtLayerNormalizationBelow17Test and ZooOpsetDowngradeTest).
 */
class LayerNormalizationAdapterTest {

    private static final OpSchemaRegistry SCHEMAS = OpSchemaRegistry.standard();

    private static List<String> ops(Model m) {
        return m.graph().nodes().stream().map(Node::opType).toList();
    }

    /** x → LayerNormalization(axis=-1, epsilon=1e-6) → y, with a Squeeze (axes input at 17) after it. */
    private static Model layerNormThenSqueeze(int opset) {
        ModelBuilder b = new ModelBuilder(opset);
        Value x = b.input("x", DataType.FLOAT, 1, 2, 8);
        Value y = b.nodeWith("LayerNormalization", new Attribute[] {Attribute.ofInt("axis", -1),
                Attribute.ofFloat("epsilon", 1e-6f)}, x, b.weight("scale", 8), b.weight("bias", 8));
        Value axes = b.constant(io.mconv.ir.Tensor.ofLongs("axes", new long[] {1}, 0L));
        b.output(opset >= 13 ? b.node("Squeeze", y, axes)
                : b.nodeWith("Squeeze", new Attribute[] {Attribute.ofInts("axes", 0)}, y), DataType.FLOAT, 2, 8);
        return b.model();
    }

    @Test
    void portableWritesItOutInStandardOperators() {
        Model m = layerNormThenSqueeze(17);
        new OpsetConverter(SCHEMAS).convert(m, 13);
        GraphVerifier.verify(m);
        assertEquals(13, m.opsetVersion(""));
        assertFalse(ops(m).contains("LayerNormalization"), ops(m).toString());
        assertEquals(2, ops(m).stream().filter("ReduceMean"::equals).count());
        assertTrue(ops(m).containsAll(List.of("Sub", "Mul", "Sqrt", "Div", "Add")), ops(m).toString());
        // every node left is standard ONNX at 13
        for (Node n : m.graph().nodes()) {
            assertTrue(SCHEMAS.get("", n.opType(), 13).isPresent(), n.opType() + " is not defined at opset 13");
        }
    }

    @Test
    void portableIsTheDefault() {
        Model viaDefault = layerNormThenSqueeze(17);
        Model viaPortable = layerNormThenSqueeze(17);
        new OpsetConverter(SCHEMAS).convert(viaDefault, 13);
        new OpsetConverter(SCHEMAS, Target.PORTABLE).convert(viaPortable, 13);
        assertEquals(ops(viaPortable), ops(viaDefault));
    }

    @Test
    void ortKeepsTheNodeWithItsAttributes() {
        Model m = layerNormThenSqueeze(17);
        Node before = m.graph().nodes().get(0);
        OpsetConverter.Result r = new OpsetConverter(SCHEMAS, Target.ORT).convert(m, 13);
        GraphVerifier.verify(m);
        assertEquals(13, m.opsetVersion(""));
        assertTrue(m.irVersion() >= OpsetConverter.requiredIrVersion(13));
        assertEquals(List.of("LayerNormalization", "Squeeze"), ops(m));
        Node kept = m.graph().nodes().get(0);
        assertSame(before, kept);
        assertEquals(-1, kept.attribute("axis").orElseThrow().asInt());
        assertEquals(1e-6f, kept.attribute("epsilon").orElseThrow().asFloat());
        assertEquals(3, kept.inputCount());
        assertFalse(r.adaptedByOp().containsKey("LayerNormalization"), r.adaptedByOp().toString());
        // the other operators are still converted: lowered to 12, Squeeze's axes input becomes the attribute
        Model lower = layerNormThenSqueeze(17);
        new OpsetConverter(SCHEMAS, Target.ORT).convert(lower, 12);
        assertEquals(List.of("LayerNormalization", "Squeeze"), ops(lower));
        Node squeeze = lower.graph().nodes().get(1);
        assertEquals(1, squeeze.inputCount());
        assertEquals(List.of(0L), boxed(squeeze.attribute("axes").orElseThrow().asInts()));
    }

    @Test
    void ortKeepsTheOptionalMeanAndInvStdDevOutputs() {
        ModelBuilder b = new ModelBuilder(17);
        Value x = b.input("x", DataType.FLOAT, 2, 8);
        Node ln = new Node("", "LayerNormalization", "ln");
        ln.addInput(x);
        ln.addInput(b.weight("scale", 8));
        ln.addOutput(new Value("y", null));
        ln.addOutput(new Value("mean", null));
        ln.addOutput(new Value("inv_std_dev", null));
        b.graph().append(ln);
        b.output(ln.output(0), DataType.FLOAT, 2, 8);
        b.output(ln.output(1), DataType.FLOAT, 2, 1);
        b.output(ln.output(2), DataType.FLOAT, 2, 1);
        Model m = b.model();
        new OpsetConverter(SCHEMAS, Target.ORT).convert(m, 11);
        GraphVerifier.verify(m);
        assertEquals(List.of("LayerNormalization"), ops(m));
        assertEquals(3, m.graph().nodes().get(0).outputCount());
        assertEquals(List.of("y", "mean", "inv_std_dev"), m.graph().outputs().stream().map(Value::name).toList());
    }

    @Test
    void theWriterKeepsTheNodeBelow17() {
        Model m = layerNormThenSqueeze(17);
        new OpsetConverter(SCHEMAS, Target.ORT).convert(m, 13);
        Onnx.ModelProto proto = ProtoExporter.exportModel(m);
        assertEquals("LayerNormalization", proto.getGraph().getNode(0).getOpType());
        assertEquals("", proto.getGraph().getNode(0).getDomain());
        assertEquals(13, proto.getOpsetImport(0).getVersion());
        Model back = ProtoImporter.importModel(proto, io.mconv.ir.serde.ExternalTensorResolver.NONE);
        GraphVerifier.verify(back);
        assertEquals(List.of("LayerNormalization", "Squeeze"), ops(back));
    }

    @Test
    void aModelMadeForOrtIsReadAsLayerNormalization17() {
        // raised back to 17 (either target): the node is the standard one there
        Model raised = layerNormThenSqueeze(13);
        new OpsetConverter(SCHEMAS).convert(raised, 17);
        GraphVerifier.verify(raised);
        assertEquals(List.of("LayerNormalization", "Squeeze"), ops(raised));
        // lowered for the portable target: written out like a 17 source
        Model portable = layerNormThenSqueeze(13);
        new OpsetConverter(SCHEMAS).convert(portable, 12);
        assertFalse(ops(portable).contains("LayerNormalization"), ops(portable).toString());
        assertEquals(2, ops(portable).stream().filter("ReduceMean"::equals).count());
    }

    @Test
    void ortStillHoldsTheKeptNodeToLayerNormalization17() {
        Model m = layerNormThenSqueeze(17);
        m.graph().nodes().get(0).setAttribute(Attribute.ofInt("not_an_attribute", 1));
        OpsetConversionException e = assertThrows(OpsetConversionException.class,
                () -> new OpsetConverter(SCHEMAS, Target.ORT).convert(m, 13));
        assertTrue(e.getMessage().contains("attribute 'not_an_attribute' has no equivalent in LayerNormalization-17"),
                e.getMessage());
    }

    private static List<Long> boxed(long[] values) {
        return java.util.Arrays.stream(values).boxed().toList();
    }
}
