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
}
