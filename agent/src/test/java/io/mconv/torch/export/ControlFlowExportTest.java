package io.mconv.torch.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mconv.agent.runtime.ComparisonResult;
import io.mconv.agent.runtime.ort.OrtModelRunner;
import io.mconv.agent.runtime.ort.OrtSessionConfig;
import io.mconv.ir.Model;
import io.mconv.ir.Node;
import io.mconv.ir.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A {@code torch.jit.script} model with a data-dependent {@code if} and loops whose trip count and condition are
 * tensors: the export keeps them as ONNX If and Loop (not unrolled for one input), so the model computes torch's
 * result for inputs that take the other branch or another number of iterations too.
 */
class ControlFlowExportTest {

    @Test
    void dataDependentIfAndLoopsBecomeIfAndLoopAndMatchTorch() {
        TorchZoo.Model zoo = TorchZoo.load("control_flow");
        Model model = ZooExportTest.export(zoo);
        Map<String, Integer> ops = new LinkedHashMap<>();
        for (Node n : model.graph()) {
            ops.merge(n.opType(), 1, Integer::sum);
        }
        assertTrue(ops.getOrDefault("If", 0) >= 1, "If in " + ops);
        assertTrue(ops.getOrDefault("Loop", 0) >= 1, "Loop in " + ops);
        List<ComparisonResult> results = ZooExportTest.runAndCompare(model, zoo);
        assertTrue(results.stream().allMatch(ComparisonResult::passed), results.toString());
    }

    @Test
    void theOtherBranchAndAnotherTripCountAreComputedToo() {
        Model model = ZooExportTest.export(TorchZoo.load("control_flow"));
        String x = model.graph().inputs().get(0).name();
        String steps = model.graph().inputs().get(1).name();
        try (OrtModelRunner runner = OrtModelRunner.open(model, OrtSessionConfig.forValidation())) {
            float[] positive = new float[16];
            java.util.Arrays.fill(positive, 0.5f);
            Map<String, Tensor> feeds = new LinkedHashMap<>();
            feeds.put(x, Tensor.ofFloats(x, new long[] {1, 16}, positive));
            feeds.put(steps, Tensor.ofLongs(steps, new long[0], 0));
            Tensor zeroSteps = new ArrayList<>(runner.run(feeds).values()).get(0);
            feeds.put(steps, Tensor.ofLongs(steps, new long[0], 5));
            Tensor fiveSteps = new ArrayList<>(runner.run(feeds).values()).get(0);
            assertEquals(16, zeroSteps.elementCount());
            assertTrue(!java.util.Arrays.equals(zeroSteps.toFloatArray(), fiveSteps.toFloatArray()),
                    "the loop's trip count is an input, so 0 and 5 steps give different results");
        }
    }
}
