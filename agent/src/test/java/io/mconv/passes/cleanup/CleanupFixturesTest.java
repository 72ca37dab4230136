package io.mconv.passes.cleanup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mconv.agent.model.IrModelFile;
import io.mconv.agent.model.ModelLoader;
import io.mconv.agent.testing.OrtEquivalence;
import io.mconv.ir.GraphVerifier;
import io.mconv.ir.Model;
import io.mconv.ir.Value;
import io.mconv.ir.serde.ModelCopier;
import io.mconv.ir.testing.Fixtures;
import io.mconv.passes.Graphs;
import io.mconv.passes.OptimizationLevel;
import io.mconv.passes.PassContext;
import io.mconv.passes.PassManager;
import io.mconv.passes.PassReport;
import io.mconv.passes.Target;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every cleanup pass over real torch exports: same outputs in ORT, verifier clean, a second run changes nothing. */
class CleanupFixturesTest {

    private static final PassContext CTX = PassContext.of(OptimizationLevel.BASIC, Target.PORTABLE);

    @ParameterizedTest
    @ValueSource(strings = {"resnet18", "mobilenet_v2", "efficientnet_b0", "bert_like"})
    void allCleanupPassesKeepOutputsAndReachAFixedPoint(String name) {
        Model before;
        try (IrModelFile file = new ModelLoader().load(Fixtures.generated(name + ".onnx"))) {
            before = ModelCopier.copy(file.model());
        }
        List<String> outputNames = before.graph().outputs().stream().map(Value::name).toList();
        Model after = ModelCopier.copy(before);
        PassReport first = new PassManager(CleanupPasses.all()).run(after, CTX);
        System.out.printf("%s: %d -> %d nodes; %s%n", name, Graphs.nodeCount(before), Graphs.nodeCount(after),
                first.passes());

        assertTrue(first.reachedFixedPoint(), name + " did not reach a fixed point: " + first.passes());
        assertTrue(GraphVerifier.check(after).isEmpty(), GraphVerifier.check(after).toString());
        assertEquals(outputNames, after.graph().outputs().stream().map(Value::name).toList(), "output names kept");
        // Measured: resnet18 has nothing to clean; mobilenet_v2 loses 68 twin Constant nodes (the Clip bounds of
        // each ReLU6), bert_like 56 repeated shape computations and one no-op.
        Map<String, int[]> expected = Map.of("resnet18", new int[] {49, 49}, "mobilenet_v2", new int[] {170, 102},
                "efficientnet_b0", new int[] {239, 239}, "bert_like", new int[] {189, 132});
        assertEquals(expected.get(name)[0], Graphs.nodeCount(before));
        assertEquals(expected.get(name)[1], Graphs.nodeCount(after));
        OrtEquivalence.assertSameOutputs(before, after);
        PassReport second = new PassManager(CleanupPasses.all()).run(after, CTX);
        assertEquals(0, second.totalRewrites(), "idempotent: " + second.passes());
    }
}
