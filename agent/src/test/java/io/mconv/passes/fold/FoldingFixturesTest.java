package io.mconv.passes.fold;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mconv.agent.model.IrModelFile;
import io.mconv.agent.model.ModelLoader;
import io.mconv.agent.testing.OrtEquivalence;
import io.mconv.ir.GraphVerifier;
import io.mconv.ir.Model;
import io.mconv.ir.Shape;
import io.mconv.ir.serde.ModelCopier;
import io.mconv.ir.testing.Fixtures;
import io.mconv.passes.OptimizationLevel;
import io.mconv.passes.Pass;
import io.mconv.passes.PassContext;
import io.mconv.passes.PassManager;
import io.mconv.passes.PassReport;
import io.mconv.passes.Target;
import io.mconv.passes.cleanup.EliminateDeadCode;
import io.mconv.shape.ShapeInference;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The folding passes plus dead-code elimination on torch-exported fixtures keep ORT's outputs. */
class FoldingFixturesTest {

    private static final PassContext CTX = PassContext.of(OptimizationLevel.BASIC, Target.PORTABLE);

    private static PassReport optimize(String fixture, Map<String, Shape> shapes, int expectedNodesAfter) {
        Model before;
        try (IrModelFile file = new ModelLoader().load(Fixtures.generated(fixture))) {
            before = ModelCopier.copy(file.model());
        }
        if (!shapes.isEmpty()) {
            ShapeInference.infer(before, shapes); // the reference model gets the same fixed input shapes
        }
        Model after = ModelCopier.copy(before);
        List<Pass> passes = new ArrayList<>(FoldingPasses.all());
        passes.add(new EliminateDeadCode());
        PassReport report = new PassManager(passes).run(after, CTX.withInputShapes(shapes));
        System.out.println(fixture + (shapes.isEmpty() ? "" : " " + shapes) + ": nodes " + report.nodesBefore()
                + " -> " + report.nodesAfter() + ", rewrites " + report.passes() + ", ops after "
                + PassManager.histogram(after));
        assertTrue(report.reachedFixedPoint());
        assertTrue(GraphVerifier.check(after).isEmpty(), GraphVerifier.check(after).toString());
        assertEquals(expectedNodesAfter, report.nodesAfter());
        OrtEquivalence.assertSameOutputs(before, after);
        PassReport again = new PassManager(passes).run(after, CTX.withInputShapes(shapes));
        assertEquals(0, again.totalRewrites(), "idempotent");
        return report;
    }

    @Test
    void resnet18() {
        optimize("resnet18.onnx", Map.of(), 49);
    }

    @Test
    void mobilenetV2() {
        optimize("mobilenet_v2.onnx", Map.of(), 100);
    }

    @Test
    void bertLikeWithSymbolicBatchAndSequence() {
        // 58 Constants become initializers; the attention Reshape targets become [0, 0, 4, 32] / [0, 0, 128]
        // (simplify-reshape-shape), which leaves their Shape/Gather/Unsqueeze/Concat chains dead.
        optimize("bert_like.onnx", Map.of(), 75);
    }

    @Test
    void bertLikeWithFixedInputShape() {
        optimize("bert_like.onnx", Map.of("input_ids", Shape.of(1, 16)), 69);
    }
}
