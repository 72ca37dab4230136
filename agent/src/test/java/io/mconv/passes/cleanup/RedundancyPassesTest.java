package io.mconv.passes.cleanup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mconv.agent.testing.OrtEquivalence;
import io.mconv.ir.Attribute;
import io.mconv.ir.DataType;
import io.mconv.ir.GraphVerifier;
import io.mconv.ir.Model;
import io.mconv.ir.Tensor;
import io.mconv.ir.Value;
import io.mconv.ir.serde.ModelCopier;
import io.mconv.ir.testing.ModelBuilder;
import io.mconv.passes.OptimizationLevel;
import io.mconv.passes.Pass;
import io.mconv.passes.PassContext;
import io.mconv.passes.PassManager;
import io.mconv.passes.Target;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** eliminate-noop, deduplicate-initializers and eliminate-common-subexpressions. */
class RedundancyPassesTest {

    private static final PassContext CTX = PassContext.of(OptimizationLevel.BASIC, Target.PORTABLE);

    private static void assertRewrites(Pass pass, Model model, int expected) {
        Model before = ModelCopier.copy(model);
        assertEquals(expected, pass.run(model, CTX).rewrites());
        assertTrue(GraphVerifier.check(model).isEmpty(), GraphVerifier.check(model).toString());
        OrtEquivalence.assertSameOutputs(before, model);
        assertEquals(0, pass.run(model, CTX).rewrites(), "idempotent");
    }

    @Test
    void noOpsAreBypassed() {
        ModelBuilder b = new ModelBuilder(17);
        Value x = b.input("x", DataType.FLOAT, 2, 3);
        Value id = b.node("Identity", x);
        Value cast = b.nodeWith("Cast", new Attribute[] {Attribute.ofInt("to", DataType.FLOAT.code())}, id);
        Value drop = b.node("Dropout", cast);
        b.output(b.node("Relu", drop), DataType.FLOAT, 2, 3);
        assertRewrites(new EliminateNoOps(), b.model(), 3);
        assertEquals(Map.of("Relu", 1), PassManager.histogram(b.model()));
    }

    @Test
    void aCastThatChangesTheTypeStaysAndSoDoesAnInputToOutputIdentity() {
        ModelBuilder b = new ModelBuilder(17);
        Value x = b.input("x", DataType.FLOAT, 2);
        b.output(b.nodeWith("Cast", new Attribute[] {Attribute.ofInt("to", DataType.INT64.code())}, x));
        b.output(b.node("Identity", x), DataType.FLOAT, 2);
        assertEquals(0, new EliminateNoOps().run(b.model(), CTX).rewrites(),
                "Cast to another type is real; an Identity between graph input and graph output keeps both names");
    }

    @Test
    void noOpWhoseOutputIsAGraphOutputHandsItsNameToTheProducer() {
        ModelBuilder b = new ModelBuilder(17);
        Value x = b.input("x", DataType.FLOAT, 2);
        Value relu = b.node("Relu", x);
        Value out = b.node("Identity", relu);
        b.output(out, DataType.FLOAT, 2);
        String name = out.name();
        assertRewrites(new EliminateNoOps(), b.model(), 1);
        assertEquals(name, b.graph().outputs().get(0).name());
        assertSame(relu, b.graph().outputs().get(0));
    }

    @Test
    void trainingModeDropoutStays() {
        ModelBuilder b = new ModelBuilder(17);
        Value x = b.input("x", DataType.FLOAT, 2);
        Value ratio = b.constant(Tensor.ofFloats("ratio", new long[0], 0.5f));
        Value training = b.constant(Tensor.ofRaw("training", DataType.BOOL, new long[0],
                java.nio.ByteBuffer.wrap(new byte[] {1})));
        b.output(b.node("Dropout", x, ratio, training));
        assertEquals(0, new EliminateNoOps().run(b.model(), CTX).rewrites());
    }

    @Test
    void equalInitializersAreMergedButGraphInputsKeepTheirs() {
        ModelBuilder b = new ModelBuilder(17);
        Value x = b.input("x", DataType.FLOAT, 3);
        Value c1 = b.constant(Tensor.ofFloats("c1", new long[] {3}, 1, 2, 3));
        Value c2 = b.constant(Tensor.ofFloats("c2", new long[] {3}, 1, 2, 3));
        Value c3 = b.constant(Tensor.ofFloats("c3", new long[] {3}, 1, 2, 4));
        b.output(b.node("Add", b.node("Mul", b.node("Add", x, c1), c2), c3), DataType.FLOAT, 3);
        assertRewrites(new DeduplicateInitializers(), b.model(), 1);
        assertEquals(java.util.List.of("c1", "c3"), java.util.List.copyOf(b.graph().initializers().keySet()));
    }

    @Test
    void anInitializerThatIsAlsoAGraphInputIsNotMerged() {
        ModelBuilder b = new ModelBuilder(17);
        b.model().setIrVersion(3L);
        Value x = b.input("x", DataType.FLOAT, 3);
        Value c1 = b.constant(Tensor.ofFloats("c1", new long[] {3}, 1, 2, 3));
        Value overridable = new Value("c2", c1.type());
        overridable.setConstValue(Tensor.ofFloats("c2", new long[] {3}, 1, 2, 3));
        b.graph().addInput(overridable);
        b.graph().registerInitializer(overridable);
        b.output(b.node("Add", b.node("Add", x, c1), overridable), DataType.FLOAT, 3);
        assertEquals(0, new DeduplicateInitializers().run(b.model(), CTX).rewrites(),
                "a feed may override c2 at run time, so it is not the same constant as c1");
    }

    @Test
    void commonSubexpressionsAreMergedOnlyWhenIdentical() {
        ModelBuilder b = new ModelBuilder(17);
        Value x = b.input("x", DataType.FLOAT, 2, 4);
        Value s1 = b.node("Shape", x);
        Value s2 = b.node("Shape", x);
        Value r1 = b.nodeWith("ReduceSum", new Attribute[] {Attribute.ofInt("keepdims", 1)}, x);
        Value r2 = b.nodeWith("ReduceSum", new Attribute[] {Attribute.ofInt("keepdims", 0)}, x);
        Value sum = b.node("Add", s1, s2);
        b.output(sum, DataType.INT64, 2);
        b.output(r1, DataType.FLOAT, 1, 1);
        b.output(r2, DataType.FLOAT);
        assertRewrites(new EliminateCommonSubexpressions(), b.model(), 1);
        assertEquals(1, PassManager.histogram(b.model()).get("Shape"));
        assertEquals(2, PassManager.histogram(b.model()).get("ReduceSum"), "different keepdims: not the same");
    }

    @Test
    void randomOpsAndTwoGraphOutputsAreNotMerged() {
        ModelBuilder b = new ModelBuilder(17);
        Value x = b.input("x", DataType.FLOAT, 2);
        b.output(b.node("RandomNormalLike", x));
        b.output(b.node("RandomNormalLike", x));
        b.output(b.node("Relu", x), DataType.FLOAT, 2);
        b.output(b.node("Relu", x), DataType.FLOAT, 2);
        assertEquals(0, new EliminateCommonSubexpressions().run(b.model(), CTX).rewrites());
    }
}
