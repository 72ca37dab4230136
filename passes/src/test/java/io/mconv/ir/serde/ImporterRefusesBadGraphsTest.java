package io.mconv.ir.serde;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.mconv.ir.InvalidGraphException;
import io.mconv.ir.Model;
import io.mconv.ir.Node;
import io.mconv.onnx.proto.Onnx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** BAD_INPUTS items 4, 5, 6 and 9 at the IR level: each builds the bad model itself. */
class ImporterRefusesBadGraphsTest {

    private static Onnx.ValueInfoProto floatInput(String name, long... dims) {
        Onnx.TensorShapeProto.Builder s = Onnx.TensorShapeProto.newBuilder();
        for (long d : dims) {
            s.addDimBuilder().setDimValue(d);
        }
        return Onnx.ValueInfoProto.newBuilder().setName(name).setType(Onnx.TypeProto.newBuilder()
                .setTensorType(Onnx.TypeProto.Tensor.newBuilder().setElemType(1).setShape(s))).build();
    }

    private static Onnx.NodeProto node(String op, List<String> in, List<String> out) {
        return Onnx.NodeProto.newBuilder().setOpType(op).addAllInput(in).addAllOutput(out).build();
    }

    private static Onnx.ModelProto model(Onnx.GraphProto.Builder g) {
        return Onnx.ModelProto.newBuilder().setIrVersion(8)
                .addOpsetImport(Onnx.OperatorSetIdProto.newBuilder().setVersion(17)).setGraph(g).build();
    }

    private static String refusal(Onnx.ModelProto m) {
        return assertThrows(InvalidGraphException.class, () -> ProtoImporter.importModel(m, ExternalTensorResolver.NONE))
                .getMessage();
    }

    @Test
    void cycleIsAnErrorNotAHang() {
        Onnx.GraphProto.Builder g = Onnx.GraphProto.newBuilder().setName("g").addInput(floatInput("x", 2))
                .addNode(node("Add", List.of("x", "b"), List.of("a")))
                .addNode(node("Relu", List.of("a"), List.of("b")))
                .addOutput(floatInput("b", 2));
        String msg = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> refusal(model(g)));
        assertTrue(msg.contains("cycle"), msg);
    }

    @Test
    void selfLoopIsACycle() {
        Onnx.GraphProto.Builder g = Onnx.GraphProto.newBuilder().setName("g").addInput(floatInput("x", 2))
                .addNode(node("Add", List.of("x", "a"), List.of("a")))
                .addOutput(floatInput("a", 2));
        assertTrue(refusal(model(g)).contains("cycle"));
    }

    /**
     * Fuzz finding (ProtoImporterFuzzTestInputs/importModel/crash-d92ab85e...): a branch whose graph output names the
     * If node's own output was accepted, a cycle that only the verifier noticed.
     */
    @Test
    void subgraphYieldingItsOwnersOutputIsACycle() {
        Onnx.GraphProto branch = Onnx.GraphProto.newBuilder().setName("branch").addOutput(floatInput("y", 2)).build();
        Onnx.GraphProto.Builder g = Onnx.GraphProto.newBuilder().setName("g")
                .addInput(Onnx.ValueInfoProto.newBuilder().setName("c"))
                .addNode(node("If", List.of("c"), List.of("y")).toBuilder()
                        .addAttribute(Onnx.AttributeProto.newBuilder().setName("then_branch")
                                .setType(Onnx.AttributeProto.AttributeType.GRAPH).setG(branch))
                        .addAttribute(Onnx.AttributeProto.newBuilder().setName("else_branch")
                                .setType(Onnx.AttributeProto.AttributeType.GRAPH).setG(branch)))
                .addOutput(floatInput("y", 2));
        String msg = refusal(model(g));
        assertTrue(msg.contains("cycle") && msg.contains("If"), msg);
    }

    @Test
    void outOfOrderNodesAreResortedDeterministically() {
        Onnx.GraphProto.Builder g = Onnx.GraphProto.newBuilder().setName("g").addInput(floatInput("x", 2))
                .addNode(node("Neg", List.of("r"), List.of("y")))
                .addNode(node("Relu", List.of("x"), List.of("r")))
                .addNode(node("Abs", List.of("x"), List.of("z")))
                .addOutput(floatInput("y", 2)).addOutput(floatInput("z", 2));
        Model m = ProtoImporter.importModel(model(g), ExternalTensorResolver.NONE);
        List<String> order = new ArrayList<>();
        for (Node n : m.graph()) {
            order.add(n.opType());
        }
        assertEquals(List.of("Relu", "Neg", "Abs"), order);
        assertTrue(io.mconv.ir.GraphVerifier.check(m).isEmpty());
    }

    @Test
    void twoProducersForOneValue() {
        Onnx.GraphProto.Builder g = Onnx.GraphProto.newBuilder().setName("g").addInput(floatInput("x", 2))
                .addNode(node("Relu", List.of("x"), List.of("y")))
                .addNode(node("Neg", List.of("x"), List.of("y")))
                .addOutput(floatInput("y", 2));
        String msg = refusal(model(g));
        assertTrue(msg.contains("value 'y' has two producers: node Relu and node Neg"), msg);
    }

    @Test
    void nodeOutputShadowingAnInputIsTwoProducers() {
        Onnx.GraphProto.Builder g = Onnx.GraphProto.newBuilder().setName("g").addInput(floatInput("x", 2))
                .addNode(node("Relu", List.of("x"), List.of("x")))
                .addOutput(floatInput("x", 2));
        assertTrue(refusal(model(g)).contains("value 'x' has two producers: a graph input"));
    }

    @Test
    void duplicateInitializerNames() {
        Onnx.TensorProto w = Onnx.TensorProto.newBuilder().setName("w").setDataType(1).addDims(1)
                .setRawData(ByteString.copyFrom(new byte[4])).build();
        Onnx.GraphProto.Builder g = Onnx.GraphProto.newBuilder().setName("g").addInitializer(w).addInitializer(w)
                .addOutput(floatInput("w", 1));
        assertTrue(refusal(model(g)).contains("duplicate initializer 'w'"));
    }

    @Test
    void inputThatNothingProduces() {
        Onnx.GraphProto.Builder g = Onnx.GraphProto.newBuilder().setName("g").addInput(floatInput("x", 2))
                .addNode(node("Add", List.of("x", "ghost"), List.of("y")))
                .addOutput(floatInput("y", 2));
        String msg = refusal(model(g));
        assertTrue(msg.contains("reads 'ghost', which no node, graph input or initializer produces"), msg);
    }

    @Test
    void outputThatNothingProduces() {
        Onnx.GraphProto.Builder g = Onnx.GraphProto.newBuilder().setName("g").addInput(floatInput("x", 2))
                .addOutput(floatInput("nothing", 2));
        assertTrue(refusal(model(g)).contains("graph output 'nothing' is not produced"));
    }

    @Test
    void negativeDimensionsInTensorsAndTypes() {
        Onnx.TensorProto w = Onnx.TensorProto.newBuilder().setName("w").setDataType(1).addDims(-4)
                .setRawData(ByteString.copyFrom(new byte[16])).build();
        String t = refusal(model(Onnx.GraphProto.newBuilder().setName("g").addInitializer(w).addOutput(floatInput("w"))));
        assertTrue(t.contains("tensor 'w': negative dimension -4"), t);
        String v = refusal(model(Onnx.GraphProto.newBuilder().setName("g").addInput(floatInput("x", 1, -3))
                .addOutput(floatInput("x"))));
        assertTrue(v.contains("value 'x' has a negative dimension (-3)"), v);
    }

    @Test
    void elementCountOverflow() {
        Onnx.TensorProto w = Onnx.TensorProto.newBuilder().setName("w").setDataType(1).addDims(1L << 40)
                .addDims(1L << 40).setRawData(ByteString.copyFrom(new byte[4])).build();
        String msg = refusal(model(Onnx.GraphProto.newBuilder().setName("g").addInitializer(w).addOutput(floatInput("w"))));
        assertTrue(msg.contains("tensor 'w'") && msg.contains("overflows"), msg);
    }

    @Test
    void rawDataLengthMismatch() {
        Onnx.TensorProto w = Onnx.TensorProto.newBuilder().setName("w").setDataType(1).addDims(3)
                .setRawData(ByteString.copyFrom(new byte[8])).build();
        String msg = refusal(model(Onnx.GraphProto.newBuilder().setName("g").addInitializer(w).addOutput(floatInput("w"))));
        assertTrue(msg.contains("has 8 data bytes but [3] float32 needs 12"), msg);
    }

    @Test
    void typedDataLengthMismatch() {
        Onnx.TensorProto w = Onnx.TensorProto.newBuilder().setName("w").setDataType(7).addDims(3)
                .addInt64Data(1).build();
        String msg = refusal(model(Onnx.GraphProto.newBuilder().setName("g").addInitializer(w).addOutput(floatInput("w"))));
        assertTrue(msg.contains("has 1 values in int64_data but its dims need 3"), msg);
    }

    @Test
    void unknownAndUndefinedDataTypes() {
        Onnx.TensorProto unknown = Onnx.TensorProto.newBuilder().setName("w").setDataType(99).addDims(1).build();
        assertTrue(refusal(model(Onnx.GraphProto.newBuilder().setName("g").addInitializer(unknown)
                .addOutput(floatInput("w")))).contains("tensor 'w' has an unknown data type (99)"));
        Onnx.TensorProto undefined = Onnx.TensorProto.newBuilder().setName("w").addDims(1).build();
        assertTrue(refusal(model(Onnx.GraphProto.newBuilder().setName("g").addInitializer(undefined)
                .addOutput(floatInput("w")))).contains("tensor 'w' has an undefined data type (0)"));
        Onnx.ValueInfoProto badType = Onnx.ValueInfoProto.newBuilder().setName("x").setType(Onnx.TypeProto.newBuilder()
                .setTensorType(Onnx.TypeProto.Tensor.newBuilder().setElemType(77))).build();
        assertTrue(refusal(model(Onnx.GraphProto.newBuilder().setName("g").addInput(badType).addOutput(floatInput("x"))))
                .contains("unknown element type (77)"));
    }

    private static Onnx.FunctionProto function(String name, String calls, boolean viaIf) {
        Onnx.FunctionProto.Builder f = Onnx.FunctionProto.newBuilder().setName(name).setDomain("local")
                .addInput("a").addOutput("b")
                .addOpsetImport(Onnx.OperatorSetIdProto.newBuilder().setVersion(17))
                .addOpsetImport(Onnx.OperatorSetIdProto.newBuilder().setDomain("local").setVersion(1));
        Onnx.NodeProto call = Onnx.NodeProto.newBuilder().setOpType(calls).setDomain("local").addInput("a")
                .addOutput(viaIf ? "inner" : "b").build();
        if (!viaIf) {
            return f.addNode(call).build();
        }
        Onnx.GraphProto branch = Onnx.GraphProto.newBuilder().setName("then").addNode(call)
                .addOutput(Onnx.ValueInfoProto.newBuilder().setName("inner")).build();
        Onnx.NodeProto cond = Onnx.NodeProto.newBuilder().setOpType("Constant").addOutput("c")
                .addAttribute(Onnx.AttributeProto.newBuilder().setName("value").setType(
                        Onnx.AttributeProto.AttributeType.TENSOR).setT(Onnx.TensorProto.newBuilder().setDataType(9)
                        .setRawData(ByteString.copyFrom(new byte[] {1})))).build();
        Onnx.NodeProto iff = Onnx.NodeProto.newBuilder().setOpType("If").addInput("c").addOutput("b")
                .addAttribute(Onnx.AttributeProto.newBuilder().setName("then_branch")
                        .setType(Onnx.AttributeProto.AttributeType.GRAPH).setG(branch))
                .addAttribute(Onnx.AttributeProto.newBuilder().setName("else_branch")
                        .setType(Onnx.AttributeProto.AttributeType.GRAPH).setG(branch)).build();
        return f.addNode(cond).addNode(iff).build();
    }

    private static Onnx.ModelProto withFunctions(Onnx.FunctionProto... fs) {
        Onnx.GraphProto.Builder g = Onnx.GraphProto.newBuilder().setName("g").addInput(floatInput("x", 2))
                .addNode(Onnx.NodeProto.newBuilder().setOpType(fs[0].getName()).setDomain("local").addInput("x")
                        .addOutput("y"))
                .addOutput(floatInput("y", 2));
        Onnx.ModelProto.Builder m = model(g).toBuilder()
                .addOpsetImport(Onnx.OperatorSetIdProto.newBuilder().setDomain("local").setVersion(1));
        for (Onnx.FunctionProto f : fs) {
            m.addFunctions(f);
        }
        return m.build();
    }

    @Test
    void directlyRecursiveFunction() {
        String msg = refusal(withFunctions(function("F", "F", false)));
        assertTrue(msg.contains("local function local::F is recursive: local::F -> local::F"), msg);
    }

    @Test
    void mutuallyRecursiveFunctionsThroughAnIfBody() {
        String msg = refusal(withFunctions(function("F", "G", false), function("G", "F", true)));
        assertTrue(msg.contains("is recursive") && msg.contains("local::F -> local::G -> local::F"), msg);
    }

    @Test
    void nonRecursiveFunctionsImport() {
        Model m = ProtoImporter.importModel(withFunctions(function("F", "G", false),
                function("G", "Relu", false).toBuilder().setNode(0, node("Relu", List.of("a"), List.of("b"))).build()),
                ExternalTensorResolver.NONE);
        assertEquals(2, m.functions().size());
        assertEquals(1, m.functions().get(0).body().nodeCount());
    }

    @Test
    void subgraphsNestedTooDeep() {
        Onnx.GraphProto inner = Onnx.GraphProto.newBuilder().setName("leaf")
                .addNode(node("Constant", List.of(), List.of("v")).toBuilder().addAttribute(Onnx.AttributeProto
                        .newBuilder().setName("value_float").setType(Onnx.AttributeProto.AttributeType.FLOAT).setF(1)))
                .addOutput(Onnx.ValueInfoProto.newBuilder().setName("v")).build();
        Onnx.GraphProto leaf = inner;
        for (int depth = 0; depth < 40; depth++) {
            Onnx.NodeProto iff = Onnx.NodeProto.newBuilder().setOpType("If").addInput("cond").addOutput("o" + depth)
                    .addAttribute(Onnx.AttributeProto.newBuilder().setName("then_branch")
                            .setType(Onnx.AttributeProto.AttributeType.GRAPH).setG(inner))
                    .addAttribute(Onnx.AttributeProto.newBuilder().setName("else_branch")
                            .setType(Onnx.AttributeProto.AttributeType.GRAPH).setG(leaf)).build();
            inner = Onnx.GraphProto.newBuilder().setName("level" + depth).addNode(iff)
                    .addOutput(Onnx.ValueInfoProto.newBuilder().setName("o" + depth)).build();
        }
        Onnx.GraphProto.Builder g = inner.toBuilder().addInput(Onnx.ValueInfoProto.newBuilder().setName("cond")
                .setType(Onnx.TypeProto.newBuilder().setTensorType(Onnx.TypeProto.Tensor.newBuilder().setElemType(9))));
        String msg = refusal(model(g));
        assertTrue(msg.contains("nested deeper than 32"), msg);
    }
}
