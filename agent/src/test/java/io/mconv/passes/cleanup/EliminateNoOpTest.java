package io.mconv.passes.cleanup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
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
import io.mconv.ir.serde.ModelCopier;
import io.mconv.ir.testing.ModelBuilder;
import io.mconv.passes.OptimizationLevel;
import io.mconv.passes.PassContext;
import io.mconv.passes.PassManager;
import io.mconv.passes.PassResult;
import io.mconv.passes.Target;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EliminateNoOpTest {

    private static final PassContext CTX = PassContext.of(OptimizationLevel.BASIC, Target.PORTABLE);

    static Attribute ints(String name, long... v) {
        return Attribute.ofInts(name, v);
    }

    static void assertSound(Model m) {
        assertTrue(GraphVerifier.check(m).isEmpty(), GraphVerifier.check(m).toString());
    }

    static Tensor bool(boolean v) {
        return Tensor.ofRaw("b", DataType.BOOL, new long[0], ByteBuffer.wrap(new byte[] {(byte) (v ? 1 : 0)}));
    }

    @Test
    void removesEveryKindOfNoOpInAChain() {
        ModelBuilder b = new ModelBuilder(17);
        Value x = b.input("x", DataType.FLOAT, 2, 3, 4);
        Value v = b.node("Identity", x);
        v = b.nodeWith("Cast", new Attribute[] {Attribute.ofInt("to", DataType.FLOAT.code())}, v);
        v = b.nodeWith("Transpose", new Attribute[] {ints("perm", 0, 1, 2)}, v);
        v = b.node("Add", v, b.constant(Tensor.ofFloats("zeros", new long[] {1, 4}, 0, 0, 0, 0)));
        v = b.node("Mul", b.constant(Tensor.ofFloats("one", new long[0], 1f)), v);
        v = b.node("Sub", v, b.constant(Tensor.ofFloats("zero", new long[] {1}, -0f)));
        v = b.node("Div", v, b.constant(Tensor.ofFloats("one3", new long[] {3, 1}, 1, 1, 1)));
        v = b.node("Reshape", v, b.constant(Tensor.ofLongs("shape", new long[] {3}, 2, -1, 4)));
        v = b.node("Expand", v, b.constant(Tensor.ofLongs("eshape", new long[] {1}, 4)));
        v = b.node("Pad", v, b.constant(Tensor.ofLongs("pads", new long[] {6}, 0, 0, 0, 0, 0, 0)));
        v = b.nodeWith("Concat", new Attribute[] {Attribute.ofInt("axis", 0)}, v);
        v = b.nodeWith("Split", new Attribute[] {Attribute.ofInt("axis", 1)}, v);
        v = b.node("Dropout", v);
        b.output(b.node("Relu", v), DataType.FLOAT, 2, 3, 4);
        Model before = b.model();
        Model after = ModelCopier.copy(before);

        PassResult r = new EliminateNoOp().run(after, CTX);
        assertEquals(13, r.rewrites(), r.diagnostics().toString());
        assertEquals(Map.of("Relu", 1), PassManager.histogram(after));
        assertSame(after.graph().inputs().get(0), after.graph().firstNode().input(0));
        assertSound(after);
        OrtEquivalence.assertSameOutputs(before, after);
        assertEquals(0, new EliminateNoOp().run(after, CTX).rewrites(), "idempotent");
    }

    @Test
    void aGraphOutputKeepsItsNameAndAnIdentityGraphKeepsItsIdentity() {
        ModelBuilder b = new ModelBuilder(17);
        Value x = b.input("x", DataType.FLOAT, 2);
        Value relu = b.node("Relu", x);
        Value y = b.node("Identity", relu);
        y.setName("y");
        b.output(y, DataType.FLOAT, 2);
        Value z = b.node("Identity", x); // input straight to output: stays
        z.setName("z");
        b.output(z, DataType.FLOAT, 2);
        Model before = ModelCopier.copy(b.model());

        PassResult r = new EliminateNoOp().run(b.model(), CTX);
        assertEquals(1, r.rewrites());
        assertEquals(Map.of("Relu", 1, "Identity", 1), PassManager.histogram(b.model()));
        assertEquals(List.of("y", "z"), b.graph().outputs().stream().map(Value::name).toList());
        assertEquals("Relu", b.graph().outputs().get(0).producer().opType());
        assertTrue(r.diagnostics().stream().anyMatch(d -> d.contains("identity graph")), r.diagnostics().toString());
        assertSound(b.model());
        OrtEquivalence.assertSameOutputs(before, b.model());
    }

    @Test
    void fanOutIsRewiredAndANoOpFeedingTwoGraphOutputsIsKept() {
        ModelBuilder b = new ModelBuilder(17);
        Value x = b.input("x", DataType.FLOAT, 2);
        Value r = b.node("Relu", x);
        b.output(r, DataType.FLOAT, 2); // the Identity's input is itself a graph output
        Value id = b.node("Identity", r);
        b.output(b.node("Neg", id), DataType.FLOAT, 2);
        b.output(b.node("Abs", id), DataType.FLOAT, 2);
        Value id2 = b.node("Identity", r);
        b.output(id2, DataType.FLOAT, 2);
        Model before = ModelCopier.copy(b.model());

        assertEquals(1, new EliminateNoOp().run(b.model(), CTX).rewrites(), "the fan-out Identity only");
        assertEquals(1, PassManager.histogram(b.model()).get("Identity"), "both outputs named: kept");
        assertSound(b.model());
        OrtEquivalence.assertSameOutputs(before, b.model());
    }

    @Test
    void refusesBroadcastsThatGrowXNonConstantsAndOverridableInitializers() {
        ModelBuilder b = new ModelBuilder(17);
        Value x = b.input("x", DataType.FLOAT, 1, 4);
        Value other = b.input("other", DataType.FLOAT, 1, 4);
        Value v = b.node("Add", x, b.constant(Tensor.ofFloats("z34", new long[] {3, 4}, new float[12])));
        v = b.node("Add", v, other);
        v = b.node("Mul", v, b.constant(Tensor.ofFloats("two", new long[0], 2f)));
        v = b.node("Sub", b.constant(Tensor.ofFloats("zero", new long[0], 0f)), v); // 0 - x is -x
        Value overridable = b.constant(Tensor.ofFloats("ovr", new long[0], 0f));
        b.graph().addInput(overridable); // IR < 4 style: a caller may feed another value
        v = b.node("Add", v, overridable);
        b.output(v, DataType.FLOAT, 3, 4);
        PassResult r = new EliminateNoOp().run(b.model(), CTX);
        assertEquals(0, r.rewrites(), r.diagnostics().toString());
        assertTrue(r.diagnostics().stream().anyMatch(d -> d.contains("could change x's shape")));
        assertEquals(4, PassManager.histogram(b.model()).get("Add") + PassManager.histogram(b.model()).get("Sub"));
    }

    @Test
    void reshapeNeedsFullyKnownShapesWhichInputShapesCanGive() {
        ModelBuilder b = new ModelBuilder(17);
        Value x = b.input("x", DataType.FLOAT, new Shape(List.of(Dim.symbolic("batch"), Dim.of(4))));
        Value v = b.node("Reshape", x, b.constant(Tensor.ofLongs("s", new long[] {2}, -1, 4)));
        v.setName("y");
        b.output(b.node("Relu", v));
        Model before = ModelCopier.copy(b.model());

        PassResult r = new EliminateNoOp().run(b.model(), CTX);
        assertEquals(0, r.rewrites(), "batch x 4 may not be the shape at run time");
        assertTrue(r.diagnostics().stream().anyMatch(d -> d.contains("not fully known")), r.diagnostics().toString());

        Model fixed = ModelCopier.copy(before);
        PassContext withShapes = CTX.withInputShapes(Map.of("x", Shape.of(3, 4)));
        assertEquals(1, new EliminateNoOp().run(fixed, withShapes).rewrites());
        assertEquals(Map.of("Relu", 1), PassManager.histogram(fixed));
        assertSound(fixed);
        Model beforeFixed = ModelCopier.copy(before);
        Value in = beforeFixed.graph().inputs().get(0);
        in.setType(new io.mconv.ir.ValueType.TensorType(DataType.FLOAT, Shape.of(3, 4)));
        OrtEquivalence.assertSameOutputs(beforeFixed, fixed);
    }

    @Test
    void dropoutInTrainingModeIsKeptAndAnUsedMaskBecomesAConstant() {
        ModelBuilder b = new ModelBuilder(17);
        Value x = b.input("x", DataType.FLOAT, 2, 3);
        Value mode = b.input("mode", DataType.BOOL);
        Value t1 = b.node("Dropout", x, null, b.constant(bool(true).withName("train")));
        Value t2 = b.node("Dropout", t1, null, mode);
        Node withMask = new Node("", "Dropout", "masked");
        withMask.addInput(t2);
        withMask.addInput(null);
        withMask.addInput(b.constant(bool(false).withName("infer")));
        Value out = withMask.addOutput(new Value("d_out", null));
        Value mask = withMask.addOutput(new Value("d_mask", null));
        b.graph().append(withMask);
        Value maskF = b.nodeWith("Cast", new Attribute[] {Attribute.ofInt("to", DataType.FLOAT.code())}, mask);
        b.output(b.node("Mul", out, maskF), DataType.FLOAT, 2, 3);

        PassResult r = new EliminateNoOp().run(b.model(), CTX);
        assertEquals(1, r.rewrites(), r.diagnostics().toString());
        assertEquals(2, PassManager.histogram(b.model()).get("Dropout"));
        assertTrue(r.diagnostics().stream().anyMatch(d -> d.contains("training_mode is true")));
        assertTrue(r.diagnostics().stream().anyMatch(d -> d.contains("training_mode is not a constant")));
        assertTrue(maskF.producer().input(0).isInitializer(), "the mask reads a constant all-true tensor");
        assertSound(b.model());
    }

    @Test
    void dropoutMaskConstantMatchesOrt() {
        ModelBuilder b = new ModelBuilder(17);
        Value x = b.input("x", DataType.FLOAT, 2, 3);
        Node d = new Node("", "Dropout", "masked");
        d.addInput(x);
        Value out = d.addOutput(new Value("d_out", null));
        Value mask = d.addOutput(new Value("d_mask", null));
        b.graph().append(d);
        Value maskF = b.nodeWith("Cast", new Attribute[] {Attribute.ofInt("to", DataType.FLOAT.code())}, mask);
        b.output(b.node("Mul", out, maskF), DataType.FLOAT, 2, 3);
        Model before = ModelCopier.copy(b.model());
        assertEquals(1, new EliminateNoOp().run(b.model(), CTX).rewrites());
        assertEquals(Map.of("Cast", 1, "Mul", 1), PassManager.histogram(b.model()));
        assertSound(b.model());
        OrtEquivalence.assertSameOutputs(before, b.model());
    }

    @Test
    void dropoutBeforeOpset7NeedsIsTest() {
        ModelBuilder b = new ModelBuilder(6);
        Value x = b.input("x", DataType.FLOAT, 2);
        Value t = b.node("Dropout", x); // is_test defaults to 0 at opset 6: training
        Value u = b.nodeWith("Dropout", new Attribute[] {Attribute.ofInt("is_test", 1)}, t);
        b.output(b.node("Relu", u), DataType.FLOAT, 2);
        PassResult r = new EliminateNoOp().run(b.model(), CTX);
        assertEquals(1, r.rewrites());
        assertEquals(Map.of("Dropout", 1, "Relu", 1), PassManager.histogram(b.model()));
        assertTrue(r.diagnostics().stream().anyMatch(s -> s.contains("is_test=0")), r.diagnostics().toString());
        assertSound(b.model());
    }

    @Test
    void padBeforeOpset11UsesTheAttributeAndCastNeedsAKnownType() {
        ModelBuilder b = new ModelBuilder(10);
        Value x = b.input("x", DataType.FLOAT, 2, 3);
        Value p = b.nodeWith("Pad", new Attribute[] {ints("pads", 0, 0, 0, 0), Attribute.ofString("mode", "edge")},
                x);
        Value q = b.nodeWith("Pad", new Attribute[] {ints("pads", 0, 1, 0, 0)}, p);
        Value c = b.nodeWith("Cast", new Attribute[] {Attribute.ofInt("to", DataType.DOUBLE.code())}, q);
        b.output(c, DataType.DOUBLE, 2, 4);
        Model before = ModelCopier.copy(b.model());
        assertEquals(1, new EliminateNoOp().run(b.model(), CTX).rewrites(), "the zero Pad; the other pads");
        assertEquals(Map.of("Pad", 1, "Cast", 1), PassManager.histogram(b.model()));
        assertSound(b.model());
        OrtEquivalence.assertSameOutputs(before, b.model());
    }

    @Test
    void insideSubgraphsNoOpsGoButABranchReturningAnOuterValueKeepsItsIdentity() {
        ModelBuilder b = new ModelBuilder(17);
        Value cond = b.input("cond", DataType.BOOL);
        Value x = b.input("x", DataType.FLOAT, 2);
        Value outer = b.node("Relu", x);
        Graph thenBranch = new Graph("then");
        Node neg = new Node("", "Neg", "neg_in_body");
        neg.addInput(outer);
        Value negOut = neg.addOutput(new Value("neg_out", null));
        Node idInBody = new Node("", "Identity", "id_in_body");
        idInBody.addInput(negOut);
        Value thenOut = idInBody.addOutput(new Value("then_out", null));
        Graph elseBranch = new Graph("else");
        Node passThrough = new Node("", "Identity", "pass_through");
        passThrough.addInput(outer);
        Value elseOut = passThrough.addOutput(new Value("else_out", null));
        Node iff = new Node("", "If", "if");
        iff.addInput(cond);
        iff.setAttribute(Attribute.ofGraph("then_branch", thenBranch));
        iff.setAttribute(Attribute.ofGraph("else_branch", elseBranch));
        Value y = iff.addOutput(new Value("y", null));
        b.graph().append(iff);
        thenBranch.append(neg);
        thenBranch.append(idInBody);
        thenBranch.addOutput(thenOut);
        elseBranch.append(passThrough);
        elseBranch.addOutput(elseOut);
        b.output(y, DataType.FLOAT, 2);
        Model before = ModelCopier.copy(b.model());

        PassResult r = new EliminateNoOp().run(b.model(), CTX);
        assertEquals(1, r.rewrites(), r.diagnostics().toString());
        assertEquals(0, thenBranch.nodes().stream().filter(n -> n.opType().equals("Identity")).count());
        assertEquals("then_out", thenBranch.outputs().get(0).name(), "the branch output keeps its name");
        assertEquals(1, elseBranch.nodeCount(), "outer value through Identity: kept");
        assertSound(b.model());
        OrtEquivalence.assertSameOutputs(before, b.model());
    }
}
