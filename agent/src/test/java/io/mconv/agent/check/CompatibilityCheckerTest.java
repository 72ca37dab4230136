package io.mconv.agent.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mconv.agent.check.Finding.Rule;
import io.mconv.agent.check.Finding.Severity;
import io.mconv.ir.Attribute;
import io.mconv.ir.DataType;
import io.mconv.ir.Dim;
import io.mconv.ir.Graph;
import io.mconv.ir.Model;
import io.mconv.ir.Node;
import io.mconv.ir.Shape;
import io.mconv.ir.Value;
import io.mconv.ir.ValueType;
import io.mconv.ir.testing.ModelBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The checker's rules on small built models, against the bundled tables. */
class CompatibilityCheckerTest {

    private final CompatibilityChecker checker = new CompatibilityChecker();

    private TargetReport check(Model m, CheckTarget target) {
        ModelFacts facts = new ModelFacts(m.irVersion(), 1000, 0, CompatibilityChecker.dynamicInputs(m.graph()));
        return checker.check(m, facts, List.of(target), "model.onnx").get(0);
    }

    private static Model unary(int opset, String op, DataType type) {
        ModelBuilder b = new ModelBuilder(opset);
        Value x = b.input("x", type, 2, 3);
        return b.output(b.node(op, x)).model();
    }

    @Test
    void aFloatReluRunsOnEveryTargetWithoutFindings() {
        Model m = unary(13, "Relu", DataType.FLOAT);
        for (CheckTarget t : CheckTarget.values()) {
            TargetReport r = check(m, t);
            assertEquals(Verdict.RUNS, r.verdict(), t + ": " + r.findings());
            assertEquals(List.of(), r.findings(), t.userName());
        }
    }

    @Test
    void anOperatorVersionWithoutCpuKernelWontRunAndTheNearestOpsetIsSuggested() {
        ModelBuilder b = new ModelBuilder(6);
        Value x = b.input("x", DataType.FLOAT, 2);
        Model m = b.output(b.node("Add", x, x)).model();
        TargetReport r = check(m, CheckTarget.CPU);
        assertEquals(Verdict.WONT_RUN, r.verdict());
        Finding f = r.findings().get(0);
        assertEquals(Rule.OPERATOR, f.rule());
        assertEquals(Severity.BLOCKS, f.severity());
        assertEquals("add_node_0", f.node());
        assertEquals("Add", f.opType());
        assertEquals(6, f.opset());
        assertEquals("mconv convert model.onnx --to onnx --opset 7", f.suggestion());
    }

    @Test
    void layerNormalizationBelowOpset17RunsOnCpuThroughOrtsContribKernel() {
        // What `mconv convert --opset 13 --target ort` writes: ONNX has no LayerNormalization before 17, but ORT
        // registers its contrib kernel in the ONNX domain for opsets 1-16 (OrtLayerNormalizationBelow17Test).
        for (int opset : new int[] {13, 16}) {
            ModelBuilder b = new ModelBuilder(opset);
            Value x = b.input("x", DataType.FLOAT, 2, 8);
            Model m = b.output(b.node("LayerNormalization", x, b.weight("scale", 8), b.weight("bias", 8))).model();
            TargetReport r = check(m, CheckTarget.CPU);
            assertEquals(Verdict.RUNS, r.verdict(), opset + ": " + r.findings());
        }
    }

    @Test
    void aLayerNormalizationBelow17IsTypeCheckedByTheStandardDefinition() {
        ModelBuilder b = new ModelBuilder(13);
        Value x = b.input("x", DataType.BFLOAT16, 2, 8);
        Value scale = b.input("scale", DataType.BFLOAT16, 8);
        Model m = b.output(b.node("LayerNormalization", x, scale)).model();
        TargetReport r = check(m, CheckTarget.CPU);
        assertEquals(Verdict.WONT_RUN, r.verdict(), r.findings().toString());
        assertEquals(Rule.DATA_TYPE, r.findings().get(0).rule());
        assertEquals("T=tensor(bfloat16)", r.findings().get(0).dtype());
        assertTrue(r.findings().get(0).message().contains("version 13"), r.findings().toString());
    }

    @Test
    void aTypeTheKernelLacksIsNamedWithItsConstraint() {
        TargetReport r = check(unary(13, "Acos", DataType.DOUBLE), CheckTarget.CPU);
        assertEquals(Verdict.WONT_RUN, r.verdict());
        assertEquals(Rule.DATA_TYPE, r.findings().get(0).rule());
        assertEquals("T=tensor(double)", r.findings().get(0).dtype());
        assertTrue(r.findings().get(0).message().contains("it takes float, float16"), r.findings().toString());
    }

    @Test
    void aContribOperatorFallsBackToCpuOnCoremlAndRunsOnCpuAndWasm() {
        ModelBuilder b = new ModelBuilder(17);
        b.model().opsetImports().put("com.microsoft", 1);
        Value x = b.input("x", DataType.FLOAT, 1, 8);
        Node gelu = new Node("com.microsoft", "Gelu", "gelu");
        gelu.addInput(x);
        Value y = gelu.addOutput(new Value("y", new ValueType.TensorType(DataType.FLOAT, Shape.of(1, 8))));
        b.graph().append(gelu);
        Model m = b.output(y).model();
        assertEquals(Verdict.RUNS, check(m, CheckTarget.CPU).verdict());
        assertEquals(Verdict.RUNS, check(m, CheckTarget.WASM).verdict());
        TargetReport coreml = check(m, CheckTarget.COREML);
        assertEquals(Verdict.RUNS_WITH_CPU_FALLBACK, coreml.verdict());
        assertEquals(List.of("gelu"), coreml.fallbackNodes());
        assertEquals(Rule.CUSTOM_DOMAIN, coreml.findings().get(0).rule());
    }

    @Test
    void anUnknownCustomDomainWontRunAnywhere() {
        ModelBuilder b = new ModelBuilder(17);
        b.model().opsetImports().put("com.example", 1);
        Value x = b.input("x", DataType.FLOAT, 2);
        Node n = new Node("com.example", "MyOp", "mine");
        n.addInput(x);
        Value y = n.addOutput(new Value("y", new ValueType.TensorType(DataType.FLOAT, Shape.of(2))));
        b.graph().append(n);
        Model m = b.output(y).model();
        TargetReport cpu = check(m, CheckTarget.CPU);
        assertEquals(Verdict.WONT_RUN, cpu.verdict());
        assertEquals(Rule.CUSTOM_DOMAIN, cpu.findings().get(0).rule());
        TargetReport cuda = check(m, CheckTarget.CUDA);
        assertEquals(Verdict.WONT_RUN, cuda.verdict());
        assertTrue(cuda.findings().get(0).message().contains("CPU provider it would fall back to has none"));
    }

    @Test
    void anIrVersionAboveTheReleaseBlocksAndAnOpsetAboveItSuggestsAConversion() {
        Model m = unary(13, "Relu", DataType.FLOAT);
        m.setIrVersion(14L);
        TargetReport r = check(m, CheckTarget.CPU);
        assertEquals(Verdict.WONT_RUN, r.verdict());
        assertEquals(Rule.IR_VERSION, r.findings().get(0).rule());

        Model newer = unary(13, "Relu", DataType.FLOAT);
        newer.opsetImports().put("", 30);
        Finding f = check(newer, CheckTarget.CPU).findings().get(0);
        assertEquals(Rule.OPSET_RANGE, f.rule());
        assertEquals(30, f.opset());
        assertEquals("mconv convert MODEL --to onnx --opset 26", f.suggestion());
    }

    @Test
    void dynamicShapesWarnForTensorrtAndFallBackOnCoreml() {
        ModelBuilder b = new ModelBuilder(13);
        Value x = b.input("x", DataType.FLOAT, new Shape(List.of(Dim.symbolic("batch"), Dim.of(4))));
        Model m = b.output(b.node("Relu", x)).model();
        TargetReport trt = check(m, CheckTarget.TENSORRT);
        assertEquals(Verdict.RUNS, trt.verdict());
        assertEquals(Rule.DYNAMIC_SHAPE, trt.findings().get(0).rule());
        assertEquals(Severity.WARNING, trt.findings().get(0).severity());
        assertEquals(Verdict.RUNS_WITH_CPU_FALLBACK, check(m, CheckTarget.COREML).verdict());
        assertEquals(Verdict.RUNS, check(m, CheckTarget.CPU).verdict());
    }

    @Test
    void batchwiseRecurrentLayoutIsRefusedOnCpu() {
        ModelBuilder b = new ModelBuilder(14);
        Value x = b.input("x", DataType.FLOAT, 1, 2, 3);
        Value w = b.weight("w", 1, 12, 3);
        Value r = b.weight("r", 1, 12, 4);
        Value y = b.nodeWith("GRU", new Attribute[] {Attribute.ofInt("hidden_size", 4), Attribute.ofInt("layout", 1)},
                x, w, r);
        TargetReport report = check(b.output(y).model(), CheckTarget.CPU);
        assertEquals(Verdict.WONT_RUN, report.verdict());
        assertEquals(Rule.ATTRIBUTE, report.findings().get(0).rule());
    }

    @Test
    void nodesInsideSubgraphsAreChecked() {
        ModelBuilder b = new ModelBuilder(13);
        Value cond = b.input("cond", DataType.BOOL);
        Value x = b.input("x", DataType.DOUBLE, 2);
        Node ifNode = new Node("", "If", "branch");
        ifNode.addInput(cond);
        Value out = ifNode.addOutput(new Value("out", new ValueType.TensorType(DataType.DOUBLE, Shape.of(2))));
        ifNode.setAttribute(Attribute.ofGraph("then_branch", branch(b.graph(), ifNode, x, "Acos")));
        ifNode.setAttribute(Attribute.ofGraph("else_branch", branch(b.graph(), ifNode, x, "Neg")));
        b.graph().append(ifNode);
        TargetReport r = check(b.output(out).model(), CheckTarget.CPU);
        assertEquals(Verdict.WONT_RUN, r.verdict(), r.findings().toString());
        assertEquals(1, r.findings().size(), r.findings().toString());
        assertEquals("branch/acos_in_branch", r.findings().get(0).node());
        assertEquals(Rule.DATA_TYPE, r.findings().get(0).rule());
    }

    private static Graph branch(Graph outer, Node owner, Value x, String op) {
        Graph g = new Graph(op + "_branch");
        g.attachAsSubgraph(outer, owner);
        Node n = new Node("", op, op.toLowerCase() + "_in_branch");
        n.addInput(x);
        Value y = n.addOutput(new Value(op + "_y", new ValueType.TensorType(DataType.DOUBLE, Shape.of(2))));
        g.append(n);
        g.addOutput(y);
        return g;
    }

    @Test
    void theWasmTableTakesTheCpuKernelsAndEveryTableNamesItsSource() {
        CapabilityTables tables = new CapabilityTables();
        for (CheckTarget t : CheckTarget.values()) {
            CapabilityTable table = tables.get(t);
            assertEquals(t.userName(), table.target());
            assertTrue(table.describes().matches(".*(1\\.29|8\\.4).*"), t + ": " + table.describes());
            assertTrue(table.kernels().size() >= 40, t + " lists " + table.kernels().size() + " operators");
        }
        assertEquals(tables.get(CheckTarget.CPU).kernels(), tables.get(CheckTarget.WASM).kernels());
        assertEquals(4L << 30, tables.get(CheckTarget.WASM).maxModelBytes());
    }
}
