package io.mconv.passes.fold;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mconv.agent.model.IrModelFile;
import io.mconv.agent.model.ModelLoader;
import io.mconv.agent.validation.ModelValidator;
import io.mconv.agent.validation.ValidationReport;
import io.mconv.ir.GraphVerifier;
import io.mconv.ir.Model;
import io.mconv.ir.Node;
import io.mconv.ir.Shape;
import io.mconv.ir.serde.ModelCopier;
import io.mconv.ir.testing.Fixtures;
import io.mconv.passes.OptimizationLevel;
import io.mconv.passes.PassContext;
import io.mconv.passes.PassManager;
import io.mconv.passes.Target;
import io.mconv.passes.cleanup.EliminateDeadCode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SimplifyReshapeShapeTest {

    private static final PassContext CTX = PassContext.of(OptimizationLevel.BASIC, Target.PORTABLE);

    @Test
    void bertAttentionReshapesBecomeConstantWithSymbolicBatchAndSequence() throws Exception {
        try (IrModelFile file = new ModelLoader().load(Fixtures.generated("bert_like.onnx"))) {
            Model model = file.model();
            Model before = ModelCopier.copy(model);
            int rewrites = new SimplifyReshapeShape().run(model, CTX).rewrites();
            assertEquals(8, rewrites, "every attention Reshape");
            new PassManager(List.of(new EliminateDeadCode())).run(model, CTX);
            List<long[]> targets = new ArrayList<>();
            for (Node n : model.graph()) {
                if (n.opType().equals("Reshape")) {
                    targets.add(n.input(1).constValue().toLongArray());
                }
            }
            assertArrayEquals(new long[] {0, 0, 4, 32}, targets.get(0));
            assertTrue(targets.stream().anyMatch(t -> java.util.Arrays.equals(t, new long[] {0, 0, 128})));
            assertEquals(1, PassManager.histogram(model).get("Shape"), "only the Range's sequence length remains");
            assertTrue(GraphVerifier.check(model).isEmpty());
            // Batch and sequence must not be confused: validate with distinct sizes, not 1x1.
            for (long[] dims : new long[][] {{2, 5}, {3, 7}, {1, 16}}) {
                ValidationReport r = new ModelValidator(null, Map.of("input_ids", Shape.of(dims)), 3)
                        .validate(before, model);
                assertTrue(r.passed(), java.util.Arrays.toString(dims) + ": " + r.firstFailure());
            }
            assertEquals(0, new SimplifyReshapeShape().run(model, CTX).rewrites(), "idempotent");
        }
    }

    /** Reshape(x, Concat(Unsqueeze(Gather(Shape(src), i)) for i in dims..., constants...)) with opset 17. */
    private static io.mconv.ir.testing.ModelBuilder reshapeFrom(Shape xShape, Shape srcShape, int[] dims,
                                                                 long[] constants, long allowZero) {
        io.mconv.ir.testing.ModelBuilder b = new io.mconv.ir.testing.ModelBuilder(17);
        io.mconv.ir.Value x = b.input("x", io.mconv.ir.DataType.FLOAT, xShape);
        io.mconv.ir.Value src = srcShape == xShape ? x : b.input("src", io.mconv.ir.DataType.FLOAT, srcShape);
        io.mconv.ir.Value shape = b.node("Shape", src);
        List<io.mconv.ir.Value> parts = new ArrayList<>();
        io.mconv.ir.Value axes0 = b.constant(io.mconv.ir.Tensor.ofLongs("axes0", new long[] {1}, 0));
        for (int d : dims) {
            io.mconv.ir.Value idx = b.constant(io.mconv.ir.Tensor.ofLongs("i" + d + "_" + parts.size(), new long[0], d));
            parts.add(b.node("Unsqueeze", b.node("Gather", shape, idx), axes0));
        }
        parts.add(b.constant(io.mconv.ir.Tensor.ofLongs("rest", new long[] {constants.length}, constants)));
        io.mconv.ir.Value target = b.nodeWith("Concat", new io.mconv.ir.Attribute[] {
                io.mconv.ir.Attribute.ofInt("axis", 0)}, parts.toArray(new io.mconv.ir.Value[0]));
        io.mconv.ir.Value y = b.nodeWith("Reshape", allowZero == 0 ? new io.mconv.ir.Attribute[0]
                : new io.mconv.ir.Attribute[] {io.mconv.ir.Attribute.ofInt("allowzero", allowZero)}, x, target);
        b.output(y);
        return b;
    }

    private static Shape sym(String... dims) {
        List<io.mconv.ir.Dim> out = new ArrayList<>();
        for (String d : dims) {
            out.add(d.matches("[0-9]+") ? io.mconv.ir.Dim.of(Long.parseLong(d)) : io.mconv.ir.Dim.symbolic(d));
        }
        return new Shape(out);
    }

    @Test
    void refusesWhatItCannotProve() {
        // allowzero=1: a 0 would mean an empty dimension, not a copy.
        assertEquals(0, new SimplifyReshapeShape().run(reshapeFrom(sym("N", "6"), sym("N", "6"), new int[] {0},
                new long[] {2, 3}, 1).model(), CTX).rewrites());
        // Two dimensions of another tensor whose sizes are unknown: at most one may become -1.
        assertEquals(0, new SimplifyReshapeShape().run(reshapeFrom(sym("N", "6"), sym("P", "Q"), new int[] {0, 1},
                new long[] {6}, 0).model(), CTX).rewrites());
        // The entry reads a dimension that is not the input's own at that position: not a copy, and with a -1
        // already among the constants it cannot be inferred either.
        assertEquals(0, new SimplifyReshapeShape().run(reshapeFrom(sym("N", "6"), sym("M", "6"), new int[] {0},
                new long[] {-1}, 0).model(), CTX).rewrites());
    }

    @Test
    void knownDimensionsOfAnotherTensorBecomeNumbers() {
        io.mconv.ir.testing.ModelBuilder b = reshapeFrom(sym("N", "6"), sym("3", "2"), new int[] {0}, new long[] {-1}, 0);
        Model before = ModelCopier.copy(b.model());
        assertEquals(1, new SimplifyReshapeShape().run(b.model(), CTX).rewrites());
        assertArrayEquals(new long[] {3, -1}, b.graph().lastNode().input(1).constValue().toLongArray());
        ValidationReport r = new ModelValidator(null, Map.of("x", Shape.of(2, 6)), 1).validate(before, b.model());
        assertTrue(r.passed(), r.firstFailure());
    }
}
