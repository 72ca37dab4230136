package io.mconv.passes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mconv.ir.DataType;
import io.mconv.ir.Model;
import io.mconv.ir.Node;
import io.mconv.ir.Value;
import io.mconv.ir.testing.ModelBuilder;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What an optimization says about the nodes its rules left alone: near misses, once, grouped, still in the model. */
class RuleSkipTest {

    @Test
    void skipsAreGroupedByRuleAndReasonAboutNodesStillInTheModelWithTheirLastReason() {
        ModelBuilder b = new ModelBuilder(17);
        Value x = b.input("x", DataType.FLOAT, 2);
        List<Node> kept = new ArrayList<>();
        Value last = x;
        for (int i = 0; i < 5; i++) {
            last = b.node("Neg", last);
            kept.add(last.producer());
        }
        b.output(last);
        Value gone = b.node("Abs", x);
        Node removed = gone.producer();
        b.graph().remove(removed);

        List<RuleSkip> skips = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            skips.add(new RuleSkip("r", kept.get(i), "why"));
        }
        skips.add(new RuleSkip("r", removed, "why"));
        skips.add(new RuleSkip("r", kept.get(4), "an earlier graph's reason"));
        skips.add(new RuleSkip("q", kept.get(0), "other"));
        skips.add(new RuleSkip("r", kept.get(4), "the final graph's reason"));
        skips.add(new RuleSkip("r", kept.get(0), "why")); // a second iteration says the same again

        assertEquals(List.of(
                "r skipped Neg(neg_node_0), Neg(neg_node_1), Neg(neg_node_2) and 1 more: why",
                "r skipped Neg(neg_node_4): the final graph's reason",
                "q skipped Neg(neg_node_0): other"), RuleSkip.summarize(skips));
    }

    @Test
    void twoOrThreeNodesAreAllNamed() {
        ModelBuilder b = new ModelBuilder(17);
        Value x = b.input("x", DataType.FLOAT, 2);
        Node n1 = b.node("Neg", x).producer();
        Node n2 = b.node("Abs", x).producer();
        assertEquals(List.of("r skipped Neg(neg_node_0) and Abs(abs_node_1): why"),
                RuleSkip.summarize(List.of(new RuleSkip("r", n1, "why"), new RuleSkip("r", n2, "why"))));
        assertEquals(List.of(), RuleSkip.summarize(List.of()));
    }

    @Test
    void anOptimizationReportsNearMissesOnceAndNodesThatAreNotThePatternNotAtAll() {
        // Six Muls of plain values (no Conv anywhere near them) and three Conv outputs scaled by a graph input: the
        // Conv+Mul rule is rooted at every Mul, but only the three are near misses.
        ModelBuilder b = new ModelBuilder(17);
        Value x = b.input("x", DataType.FLOAT, 1, 2, 4, 4);
        Value s = b.input("s", DataType.FLOAT, 1, 2, 1, 1);
        Value y = x;
        for (int i = 0; i < 6; i++) {
            y = b.node("Mul", y, s);
        }
        for (int i = 0; i < 3; i++) {
            y = b.node("Mul", b.node("Conv", y, b.weight("w" + i, 2, 2, 1, 1)), s);
        }
        Model m = b.output(y, DataType.FLOAT, 1, 2, 4, 4).model();
        PassReport report = new PassManager(PassRegistry.standard().select(OptimizationLevel.AGGRESSIVE,
                Target.PORTABLE, List.of(), List.of())).run(m, PassContext.of(OptimizationLevel.AGGRESSIVE,
                Target.PORTABLE));
        List<String> convMul = report.diagnostics().stream().filter(d -> d.startsWith("conv-mul ")).toList();
        assertEquals(1, convMul.size(), report.diagnostics().toString());
        assertTrue(convMul.get(0).matches("conv-mul skipped Mul\\(mul_node_\\d+\\), Mul\\(mul_node_\\d+\\) and "
                + "Mul\\(mul_node_\\d+\\): the other operand is not constant"), convMul.get(0));
        assertTrue(report.diagnostics().stream().noneMatch(d -> d.contains("is not produced by")),
                report.diagnostics().toString());
    }
}
