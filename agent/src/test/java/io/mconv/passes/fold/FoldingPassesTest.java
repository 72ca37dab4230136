package io.mconv.passes.fold;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mconv.agent.testing.OrtEquivalence;
import io.mconv.ir.Attribute;
import io.mconv.ir.DataType;
import io.mconv.ir.Dim;
import io.mconv.ir.Graph;
import io.mconv.ir.GraphVerifier;
import io.mconv.ir.Model;
import io.mconv.ir.Node;
import io.mconv.ir.Shape;
import io.mconv.ir.Tensor;
import io.mconv.ir.Value;
import io.mconv.ir.ValueType;
import io.mconv.ir.serde.ModelCopier;
import io.mconv.ir.testing.ModelBuilder;
import io.mconv.passes.OptimizationLevel;
import io.mconv.passes.Pass;
import io.mconv.passes.PassContext;
import io.mconv.passes.PassManager;
import io.mconv.passes.PassReport;
import io.mconv.passes.PassResult;
import io.mconv.passes.Target;
import io.mconv.passes.cleanup.EliminateDeadCode;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FoldingPassesTest {

    private static final PassContext CTX = PassContext.of(OptimizationLevel.BASIC, Target.PORTABLE);

    private static List<Pass> foldingAndCleanup() {
        List<Pass> passes = new ArrayList<>(FoldingPasses.all());
        passes.add(new EliminateDeadCode());
        return passes;
    }

    private static void assertVerified(Model m) {
        assertTrue(GraphVerifier.check(m).isEmpty(), GraphVerifier.check(m).toString());
    }

    private static Value constantNode(ModelBuilder b, String name, Attribute value) {
        Node c = new Node("", "Constant", name);
        c.setAttribute(value);
        Value out = c.addOutput(new Value(name + "_out", null));
        b.graph().append(c);
        return out;
    }

    @Test
    void registryOrder() {
        assertEquals(List.of("constant-to-initializer", "fold-constants", "fold-shape-subgraphs",
                "simplify-reshape-shape"), FoldingPasses.all().stream().map(Pass::name).toList());
    }

    // ---- constant-to-initializer -----------------------------------------------------------------------------

    @Test
    void constantsBecomeInitializersExceptGraphOutputs() {
        ModelBuilder b = new ModelBuilder(17);
        Value x = b.input("x", DataType.FLOAT, 2, 3);
        Value c1 = constantNode(b, "c1", Attribute.ofTensor("value",
                Tensor.ofFloats("t", new long[]{2, 3}, 1, 2, 3, 4, 5, 6)));
        Value c2 = constantNode(b, "c2", Attribute.ofFloat("value_float", 0.5f));
        Value shape = constantNode(b, "c3", Attribute.ofInts("value_ints", 3, 2));
        Value kept = constantNode(b, "c4", Attribute.ofInt("value_int", 7));
        Value y = b.node("Mul", b.node("Add", x, c1), c2);
        b.output(b.node("Reshape", y, shape), DataType.FLOAT, 3, 2);
        b.output(kept, DataType.INT64);
        Model before = ModelCopier.copy(b.model());
        Model after = b.model();

        assertEquals(3, new ConstantToInitializer().run(after, CTX).rewrites());
        assertEquals(Map.of("Add", 1, "Constant", 1, "Mul", 1, "Reshape", 1), PassManager.histogram(after));
        assertEquals(List.of("c1_out", "c2_out", "c3_out"), List.copyOf(after.graph().initializers().keySet()));
        assertEquals(List.of(3L, 2L), toList(after.graph().initializers().get("c3_out").constValue().toLongArray()));
        assertEquals("c4_out", after.graph().outputs().get(1).name(), "a Constant that is a graph output stays");
        assertVerified(after);
        OrtEquivalence.assertSameOutputs(before, after);
        assertEquals(0, new ConstantToInitializer().run(after, CTX).rewrites(), "idempotent");
    }

    @Test
    void constantsInsideIfBranchesBecomeBranchInitializers() {
        ModelBuilder b = new ModelBuilder(17);
        Value cond = b.input("cond", DataType.BOOL);
        Value x = b.input("x", DataType.FLOAT, 2);
        Graph thenBranch = new Graph("then");
        Node c = new Node("", "Constant", "then_const");
        c.setAttribute(Attribute.ofTensor("value", Tensor.ofFloats("t", new long[]{2}, 10, 20)));
        Value cv = c.addOutput(new Value("then_c", null));
        Node add = new Node("", "Add", "then_add");
        add.addInput(x);
        add.addInput(cv);
        Value thenOut = add.addOutput(new Value("then_out", null));
        thenBranch.append(c);
        thenBranch.append(add);
        thenBranch.addOutput(thenOut);
        Graph elseBranch = new Graph("else");
        Node neg = new Node("", "Neg", "else_neg");
        neg.addInput(x);
        Value elseOut = neg.addOutput(new Value("else_out", null));
        elseBranch.append(neg);
        elseBranch.addOutput(elseOut);
        Node iff = new Node("", "If", "if");
        iff.addInput(cond);
        iff.setAttribute(Attribute.ofGraph("then_branch", thenBranch));
        iff.setAttribute(Attribute.ofGraph("else_branch", elseBranch));
        Value y = iff.addOutput(new Value("y", null));
        b.graph().append(iff);
        b.output(y, DataType.FLOAT, 2);
        Model before = ModelCopier.copy(b.model());

        assertEquals(1, new ConstantToInitializer().run(b.model(), CTX).rewrites());
        assertEquals(List.of("then_c"), List.copyOf(thenBranch.initializers().keySet()));
        assertEquals(1, thenBranch.nodeCount());
        assertVerified(b.model());
        OrtEquivalence.assertSameOutputs(before, b.model());
    }

    // ---- fold-constants --------------------------------------------------------------------------------------

    @Test
    void foldsConstantChainsIntoOneInitializer() {
        ModelBuilder b = new ModelBuilder(17);
        Value x = b.input("x", DataType.FLOAT, 3, 2);
        Value w = b.weight("w", 2, 3);
        Value two = b.constant(Tensor.ofFloats("two", new long[0], 2f));
        Value wt = b.nodeWith("Transpose", new Attribute[]{Attribute.ofInts("perm", 1, 0)}, w);
        Value scaled = b.node("Mul", wt, two);
        Value y = b.node("Add", x, b.node("Sqrt", b.node("Abs", scaled)));
        b.output(y, DataType.FLOAT, 3, 2);
        Model before = ModelCopier.copy(b.model());
        Model after = b.model();

        PassResult r = new FoldConstants().run(after, CTX);
        assertEquals(4, r.rewrites(), "Transpose, Mul, Abs, Sqrt");
        assertEquals(Map.of("Add", 1), PassManager.histogram(after));
        Value folded = after.graph().firstNode().input(1);
        assertArrayEqualsL(new long[]{3, 2}, folded.constValue().dims());
        assertVerified(after);
        OrtEquivalence.assertSameOutputs(before, after);
        assertEquals(0, new FoldConstants().run(after, CTX).rewrites(), "idempotent");
        new EliminateDeadCode().run(after, CTX);
        assertEquals(List.of(folded.name()), List.copyOf(after.graph().initializers().keySet()),
                "w and two are dead after the fold");
    }

    @Test
    void keepsGraphOutputNamesAndNodesProducingGraphOutputs() {
        ModelBuilder b = new ModelBuilder(17);
        Value w = b.weight("w", 4);
        Value c = b.node("Neg", w);
        Value out = b.node("Relu", c);
        b.output(out, DataType.FLOAT, 4);
        b.output(c, DataType.FLOAT, 4);
        b.input("x", DataType.FLOAT, 1);
        Model before = ModelCopier.copy(b.model());
        PassReport report = new PassManager(foldingAndCleanup()).run(b.model(), CTX);
        assertTrue(report.reachedFixedPoint());
        assertEquals(Map.of("Neg", 1, "Relu", 1), PassManager.histogram(b.model()),
                "both nodes produce graph outputs and stay");
        assertEquals(List.of(out.name(), c.name()), b.graph().outputs().stream().map(Value::name).toList());
        OrtEquivalence.assertSameOutputs(before, b.model());
    }

    @Test
    void quantizeDequantizePairIsNotFolded() {
        ModelBuilder b = new ModelBuilder(17);
        Value x = b.input("x", DataType.FLOAT, 4);
        Value w = b.weight("w", 4);
        Value scale = b.constant(Tensor.ofFloats("scale", new long[0], 0.01f));
        Value zp = b.constant(Tensor.ofRaw("zp", DataType.UINT8, new long[0], ByteBuffer.wrap(new byte[]{0})));
        Value q = b.node("QuantizeLinear", w, scale, zp);
        Value dq = b.node("DequantizeLinear", q, scale, zp);
        b.output(b.node("Add", x, dq), DataType.FLOAT, 4);
        Model before = ModelCopier.copy(b.model());
        assertEquals(0, new FoldConstants().run(b.model(), CTX).rewrites());
        assertEquals(Map.of("Add", 1, "DequantizeLinear", 1, "QuantizeLinear", 1),
                PassManager.histogram(b.model()));
        OrtEquivalence.assertSameOutputs(before, b.model());
    }

    @Test
    void randomOpsAreNotFolded() {
        ModelBuilder b = new ModelBuilder(17);
        Value x = b.input("x", DataType.FLOAT, 2, 2);
        Value like = b.constant(Tensor.ofFloats("like", new long[]{2, 2}, 0, 0, 0, 0));
        Value r1 = b.nodeWith("RandomNormal", new Attribute[]{Attribute.ofInts("shape", 2, 2)});
        Value r2 = b.node("RandomNormalLike", like);
        Value r3 = b.node("RandomUniformLike", like);
        b.output(b.node("Add", b.node("Add", x, r1), b.node("Mul", r2, r3)), DataType.FLOAT, 2, 2);
        PassReport report = new PassManager(foldingAndCleanup()).run(b.model(), CTX);
        assertTrue(report.reachedFixedPoint());
        assertEquals(Map.of("Add", 2, "Mul", 1, "RandomNormal", 1, "RandomNormalLike", 1, "RandomUniformLike", 1),
                PassManager.histogram(b.model()), "the Mul of two random tensors is not constant either");
        assertVerified(b.model());
    }

    @Test
    void bigConstantOfShapeAndExpandAreNotFolded() {
        ModelBuilder b = new ModelBuilder(17);
        Value x = b.input("x", DataType.FLOAT, 2000, 1000);
        Value shape = b.constant(Tensor.ofLongs("shape", new long[]{2}, 2000, 1000));
        Value ones = b.nodeWith("ConstantOfShape", new Attribute[]{Attribute.ofTensor("value",
                Tensor.ofFloats("v", new long[]{1}, 1f))}, shape);
        Value y = b.input("y", DataType.FLOAT, 300, 300);
        Value row = b.weight("row", 300);
        Value expandShape = b.constant(Tensor.ofLongs("eshape", new long[]{2}, 300, 300));
        Value grid = b.node("Expand", row, expandShape);
        Value smallShape = b.constant(Tensor.ofLongs("sshape", new long[]{2}, 4, 300));
        Value small = b.node("Expand", row, smallShape);
        b.output(b.node("Add", x, ones), DataType.FLOAT, 2000, 1000);
        b.output(b.node("Add", y, grid), DataType.FLOAT, 300, 300);
        b.output(b.node("Neg", small), DataType.FLOAT, 4, 300);
        PassResult r = new FoldConstants().run(b.model(), CTX);
        assertEquals(1, r.rewrites(), "only the 4x300 Expand (4,800 bytes) folds");
        assertEquals(Map.of("Add", 2, "ConstantOfShape", 1, "Expand", 1, "Neg", 1), PassManager.histogram(b.model()));
        assertEquals(2, r.diagnostics().size(), r.diagnostics().toString());
        assertTrue(r.diagnostics().get(0).contains("2000000 elements"), r.diagnostics().get(0));
        assertTrue(r.diagnostics().get(1).contains("times its inputs"), r.diagnostics().get(1));
        assertVerified(b.model());
    }

    @Test
    void outerConstantsFoldInsideSubgraphs() {
        ModelBuilder b = new ModelBuilder(17);
        Value cond = b.input("cond", DataType.BOOL);
        Value x = b.input("x", DataType.FLOAT, 2);
        Value w = b.weight("w", 2);
        Graph thenBranch = new Graph("then");
        Node neg = new Node("", "Neg", "then_neg");
        neg.addInput(w);
        Value nw = neg.addOutput(new Value("then_nw", null));
        Node add = new Node("", "Add", "then_add");
        add.addInput(x);
        add.addInput(nw);
        Value thenOut = add.addOutput(new Value("then_out", null));
        thenBranch.append(neg);
        thenBranch.append(add);
        thenBranch.addOutput(thenOut);
        Graph elseBranch = new Graph("else");
        Node id = new Node("", "Identity", "else_id");
        id.addInput(x);
        Value elseOut = id.addOutput(new Value("else_out", null));
        elseBranch.append(id);
        elseBranch.addOutput(elseOut);
        Node iff = new Node("", "If", "if");
        iff.addInput(cond);
        iff.setAttribute(Attribute.ofGraph("then_branch", thenBranch));
        iff.setAttribute(Attribute.ofGraph("else_branch", elseBranch));
        Value y = iff.addOutput(new Value("y", null));
        b.graph().append(iff);
        b.output(y, DataType.FLOAT, 2);
        Model before = ModelCopier.copy(b.model());
        assertEquals(1, new FoldConstants().run(b.model(), CTX).rewrites(), "the Neg of the outer weight");
        assertEquals(List.of("then_nw"), List.copyOf(thenBranch.initializers().keySet()));
        assertVerified(b.model());
        OrtEquivalence.assertSameOutputs(before, b.model());
    }

    // ---- fold-shape-subgraphs --------------------------------------------------------------------------------

    /** torch's flatten/view export: Shape → Gather(0) → Unsqueeze → Concat(·, [-1]) → Reshape. */
    private static ModelBuilder torchFlatten(Shape inputShape) {
        ModelBuilder b = new ModelBuilder(13);
        Value x = b.input("x", DataType.FLOAT, inputShape);
        Value r = b.node("Relu", x);
        Value shape = b.node("Shape", r);
        Value zero = b.constant(Tensor.ofLongs("zero", new long[0], 0));
        Value batch = b.nodeWith("Gather", new Attribute[]{Attribute.ofInt("axis", 0)}, shape, zero);
        Value axes = b.constant(Tensor.ofLongs("axes", new long[]{1}, 0));
        Value unsq = b.node("Unsqueeze", batch, axes);
        Value minusOne = b.constant(Tensor.ofLongs("minus_one", new long[]{1}, -1));
        Value target = b.nodeWith("Concat", new Attribute[]{Attribute.ofInt("axis", 0)}, unsq, minusOne);
        Value flat = b.node("Reshape", r, target);
        long rest = 1;
        for (int k = 1; k < inputShape.rank(); k++) {
            rest *= inputShape.dim(k).value();
        }
        flat.setType(new ValueType.TensorType(DataType.FLOAT, new Shape(List.of(inputShape.dim(0), Dim.of(rest)))));
        b.output(flat);
        return b;
    }

    @Test
    void torchFlattenShapeChainFoldsForAStaticModel() {
        ModelBuilder b = torchFlatten(Shape.of(2, 4, 3, 3));
        Model before = ModelCopier.copy(b.model());
        PassReport report = new PassManager(foldingAndCleanup()).run(b.model(), CTX);
        assertTrue(report.reachedFixedPoint());
        assertEquals(Map.of("Relu", 1, "Reshape", 1), PassManager.histogram(b.model()));
        Value target = b.graph().lastNode().input(1);
        assertEquals(List.of(2L, -1L), toList(target.constValue().toLongArray()));
        assertEquals(1, b.graph().initializers().size(), "the dead zero/axes/minus_one initializers are gone");
        assertEquals(1, stat(report, "fold-shape-subgraphs"));
        assertEquals(3, stat(report, "fold-constants"), "Gather, Unsqueeze, Concat");
        assertVerified(b.model());
        OrtEquivalence.assertSameOutputs(before, b.model());
        PassReport second = new PassManager(foldingAndCleanup()).run(b.model(), CTX);
        assertEquals(0, second.totalRewrites(), "idempotent");
    }

    @Test
    void torchFlattenShapeChainWithASymbolicBatchBecomesAZeroCopyTarget() {
        ModelBuilder b = torchFlatten(new Shape(List.of(Dim.symbolic("N"), Dim.of(4), Dim.of(3), Dim.of(3))));
        io.mconv.ir.Model before = io.mconv.ir.serde.ModelCopier.copy(b.model());
        PassReport report = new PassManager(foldingAndCleanup()).run(b.model(), CTX);
        assertTrue(report.reachedFixedPoint());
        // The batch cannot be folded to a number, but Reshape's 0 copies it: simplify-reshape-shape does that.
        assertEquals(0, stat(report, "fold-shape-subgraphs"));
        assertEquals(1, stat(report, "simplify-reshape-shape"));
        assertEquals(Map.of("Relu", 1, "Reshape", 1), PassManager.histogram(b.model()));
        assertEquals(List.of(0L, -1L), toList(b.graph().lastNode().input(1).constValue().toLongArray()));
        for (long batch : new long[] {1, 3}) {
            io.mconv.agent.validation.ValidationReport r = new io.mconv.agent.validation.ModelValidator(null,
                    Map.of("x", Shape.of(batch, 4, 3, 3)), 1).validate(before, b.model());
            assertTrue(r.passed(), "batch " + batch + ": " + r.firstFailure());
        }
    }

    @Test
    void userInputShapesLetTheSymbolicBatchFold() {
        ModelBuilder b = torchFlatten(new Shape(List.of(Dim.symbolic("N"), Dim.of(4), Dim.of(3), Dim.of(3))));
        PassContext fixed = CTX.withInputShapes(Map.of("x", Shape.of(5, 4, 3, 3)));
        new PassManager(foldingAndCleanup()).run(b.model(), fixed);
        assertEquals(Map.of("Relu", 1, "Reshape", 1), PassManager.histogram(b.model()));
        assertEquals(List.of(5L, -1L), toList(b.graph().lastNode().input(1).constValue().toLongArray()));
    }

    @Test
    void shapeWithStartEndFoldsWhenTheSliceIsKnown() {
        ModelBuilder b = new ModelBuilder(17);
        Value x = b.input("x", DataType.FLOAT, new Shape(List.of(Dim.symbolic("N"), Dim.of(6), Dim.of(8))));
        Value tail = b.nodeWith("Shape", new Attribute[]{Attribute.ofInt("start", 1)}, x);
        Value whole = b.node("Shape", x);
        Value flat = b.nodeWith("Concat", new Attribute[]{Attribute.ofInt("axis", 0)},
                b.constant(Tensor.ofLongs("z", new long[]{1}, 0)), b.node("ReduceProd", tail));
        Value y = b.node("Reshape", x, flat);
        y.setType(new ValueType.TensorType(DataType.FLOAT, new Shape(List.of(Dim.symbolic("N"), Dim.of(48)))));
        b.output(y);
        b.output(b.node("Identity", whole), DataType.INT64, 3);
        Model before = ModelCopier.copy(b.model());
        assertEquals(1, new FoldShapeSubgraphs().run(b.model(), CTX).rewrites(), "Shape(start=1) of [N,6,8] only");
        assertEquals(1, PassManager.histogram(b.model()).get("Shape"), "Shape of [N,6,8] stays");
        assertEquals(List.of(6L, 8L), toList(b.graph().nodes().stream().filter(n -> n.opType().equals("ReduceProd"))
                .findFirst().orElseThrow().input(0).constValue().toLongArray()));
        assertVerified(b.model());
        OrtEquivalence.assertSameOutputs(before, b.model());
    }

    private static int stat(PassReport report, String pass) {
        return report.passes().stream().filter(s -> s.pass().equals(pass)).mapToInt(s -> s.rewrites()).sum();
    }

    private static List<Long> toList(long[] a) {
        List<Long> out = new ArrayList<>();
        for (long v : a) {
            out.add(v);
        }
        return out;
    }

    private static void assertArrayEqualsL(long[] expected, long[] actual) {
        assertEquals(toList(expected), toList(actual));
    }

    @Test
    void noFoldAtAllLeavesTheModelAlone() {
        ModelBuilder b = new ModelBuilder(17);
        Value x = b.input("x", DataType.FLOAT, 2);
        b.output(b.node("Relu", x), DataType.FLOAT, 2);
        for (Pass p : FoldingPasses.all()) {
            assertEquals(0, p.run(b.model(), CTX).rewrites(), p.name());
        }
        assertFalse(b.graph().initializers().containsKey("x"));
    }
}
