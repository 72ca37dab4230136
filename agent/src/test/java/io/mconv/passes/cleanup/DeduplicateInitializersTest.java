package io.mconv.passes.cleanup;

import static io.mconv.passes.cleanup.EliminateNoOpTest.assertSound;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.mconv.agent.testing.OrtEquivalence;
import io.mconv.ir.DataType;
import io.mconv.ir.Model;
import io.mconv.ir.Tensor;
import io.mconv.ir.Value;
import io.mconv.ir.serde.ModelCopier;
import io.mconv.ir.testing.ModelBuilder;
import io.mconv.passes.OptimizationLevel;
import io.mconv.passes.PassContext;
import io.mconv.passes.Target;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeduplicateInitializersTest {

    private static final PassContext CTX = PassContext.of(OptimizationLevel.BASIC, Target.PORTABLE);

    @Test
    void mergesEqualConstantsOnlyAndKeepsInputsAndOutputs() {
        ModelBuilder b = new ModelBuilder(17);
        Value x = b.input("x", DataType.FLOAT, 2, 3);
        Value a = b.constant(Tensor.ofFloats("a", new long[] {3}, 1, 2, 3));
        Value a2 = b.constant(Tensor.ofFloats("a2", new long[] {3}, 1, 2, 3));
        Value a3 = b.constant(Tensor.ofFloats("a3", new long[] {3}, 1, 2, 3));
        Value otherDims = b.constant(Tensor.ofFloats("a_1x3", new long[] {1, 3}, 1, 2, 3));
        Value otherBytes = b.constant(Tensor.ofFloats("b", new long[] {3}, 1, 2, 4));
        Value otherType = b.constant(Tensor.ofInts("ai", new long[] {3}, 1, 2, 3));
        Value overridable = b.constant(Tensor.ofFloats("ovr", new long[] {3}, 1, 2, 3));
        b.graph().addInput(overridable);
        Value asOutput = b.constant(Tensor.ofFloats("a_out", new long[] {3}, 1, 2, 3));
        Value v = b.node("Add", x, a);
        v = b.node("Mul", v, a2);
        v = b.node("Sub", v, a3);
        v = b.node("Add", v, otherDims);
        v = b.node("Add", v, otherBytes);
        v = b.node("Add", v, b.node("Cast", otherType));
        v = b.node("Add", v, overridable);
        b.output(v, DataType.FLOAT, 2, 3);
        b.output(asOutput);
        otherType.uses().get(0).node().setAttribute(io.mconv.ir.Attribute.ofInt("to", 1));
        Model before = ModelCopier.copy(b.model());

        assertEquals(2, new DeduplicateInitializers().run(b.model(), CTX).rewrites(), "a2 and a3");
        assertEquals(List.of("a", "a_1x3", "b", "ai", "ovr", "a_out"),
                List.copyOf(b.graph().initializers().keySet()));
        assertSame(a, b.graph().nodes().get(1).input(1));
        assertSound(b.model());
        OrtEquivalence.assertSameOutputs(before, b.model());
        assertEquals(0, new DeduplicateInitializers().run(b.model(), CTX).rewrites(), "idempotent");
    }

    @Test
    void largeTensorsThatDifferOnlyBetweenSampledWordsStayApart() {
        // 4096 floats: past the sampled fingerprint's size, so only the full comparison can tell these apart.
        float[] base = new float[4096];
        for (int i = 0; i < base.length; i++) {
            base[i] = i * 0.25f;
        }
        float[] nudged = base.clone();
        nudged[1001] += 1;
        ModelBuilder b = new ModelBuilder(17);
        Value x = b.input("x", DataType.FLOAT, 4096);
        Value w = b.constant(Tensor.ofFloats("w", new long[] {4096}, base));
        Value same = b.constant(Tensor.ofFloats("same", new long[] {4096}, base.clone()));
        Value near = b.constant(Tensor.ofFloats("near", new long[] {4096}, nudged));
        Value v = b.node("Add", b.node("Add", b.node("Add", x, w), same), near);
        b.output(v, DataType.FLOAT, 4096);
        Model before = ModelCopier.copy(b.model());

        assertEquals(1, new DeduplicateInitializers().run(b.model(), CTX).rewrites(), "same merges into w");
        assertEquals(List.of("w", "near"), List.copyOf(b.graph().initializers().keySet()));
        OrtEquivalence.assertSameOutputs(before, b.model());
    }
}
