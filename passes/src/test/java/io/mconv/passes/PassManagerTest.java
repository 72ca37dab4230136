package io.mconv.passes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mconv.ir.DataType;
import io.mconv.ir.Model;
import io.mconv.ir.Value;
import io.mconv.ir.testing.ModelBuilder;
import io.mconv.passes.cleanup.EliminateDeadCode;
import java.util.List;
import org.junit.jupiter.api.Test;

class PassManagerTest {

    private static Model modelWithDeadNodes() {
        ModelBuilder b = new ModelBuilder(17);
        Value x = b.input("x", DataType.FLOAT, 2);
        b.node("Neg", b.node("Abs", x));
        b.output(b.node("Relu", x), DataType.FLOAT, 2);
        return b.model();
    }

    /** A pass with a fixed number of rewrites per run, to test iteration to the fixed point. */
    private record Countdown(String name, int[] remaining) implements Pass {
        public String description() {
            return "test";
        }

        public OptimizationLevel level() {
            return OptimizationLevel.BASIC;
        }

        public PassResult run(Model model, PassContext context) {
            return remaining[0] > 0 ? PassResult.of(remaining[0]--) : PassResult.unchanged();
        }
    }

    @Test
    void runsToAFixedPointAndCountsRewrites() {
        Model m = modelWithDeadNodes();
        PassReport report = new PassManager(List.of(new EliminateDeadCode(), new Countdown("countdown", new int[] {2})))
                .run(m, PassContext.of(OptimizationLevel.BASIC, Target.PORTABLE));
        assertTrue(report.reachedFixedPoint());
        assertEquals(3, report.iterations(), "two rounds with changes, one to confirm");
        assertEquals(2, report.passes().get(0).rewrites());
        assertEquals(3, report.passes().get(1).rewrites(), "2 + 1");
        assertEquals(3, report.nodesBefore());
        assertEquals(1, report.nodesAfter());
        assertEquals(1, report.opsAfter().get("Relu"));
    }

    @Test
    void stopsAtTheStepCapWhenPassesNeverSettle() {
        PassReport report = new PassManager(List.of(new Countdown("forever", new int[] {Integer.MAX_VALUE})), 4)
                .run(modelWithDeadNodes(), PassContext.of(OptimizationLevel.BASIC, Target.PORTABLE));
        assertFalse(report.reachedFixedPoint());
        assertEquals(4, report.iterations());
    }

    @Test
    void aFailingPassIsNamedWithThePassesBeforeIt() {
        Pass broken = new Pass() {
            public String name() {
                return "broken";
            }

            public String description() {
                return "throws";
            }

            public OptimizationLevel level() {
                return OptimizationLevel.BASIC;
            }

            public PassResult run(Model model, PassContext context) {
                throw new IllegalStateException("boom");
            }
        };
        PassFailedException e = assertThrows(PassFailedException.class, () -> new PassManager(
                List.of(new EliminateDeadCode(), broken)).run(modelWithDeadNodes(),
                PassContext.of(OptimizationLevel.BASIC, Target.PORTABLE)));
        assertEquals("broken", e.pass());
        assertTrue(e.getMessage().startsWith("pass broken failed after passes eliminate-dead-code: "), e.getMessage());
        assertTrue(e.getMessage().contains("boom"));
    }

    @Test
    void verifyEachCatchesAPassThatCorruptsTheGraph() {
        Pass corrupting = new Pass() {
            public String name() {
                return "corrupting";
            }

            public String description() {
                return "adds a graph output nothing defines";
            }

            public OptimizationLevel level() {
                return OptimizationLevel.BASIC;
            }

            public PassResult run(Model model, PassContext context) {
                model.graph().addOutput(new Value("ghost", null));
                return PassResult.of(1);
            }
        };
        PassContext verify = PassContext.of(OptimizationLevel.BASIC, Target.PORTABLE).withVerifyEach(true);
        PassFailedException e = assertThrows(PassFailedException.class,
                () -> new PassManager(List.of(new EliminateDeadCode(), corrupting)).run(modelWithDeadNodes(), verify));
        assertTrue(e.getMessage().startsWith("pass corrupting failed after passes eliminate-dead-code: the IR verifier"),
                e.getMessage());
        assertTrue(e.getMessage().contains("output 'ghost' is not defined"), e.getMessage());
        // Without --verify-each the same pass goes unnoticed by the manager.
        new PassManager(List.of(corrupting), 1).run(modelWithDeadNodes(),
                PassContext.of(OptimizationLevel.BASIC, Target.PORTABLE));
    }

    @Test
    void registrySelectsByLevelTargetAndName() {
        PassRegistry r = PassRegistry.standard();
        assertTrue(r.select(OptimizationLevel.NONE, Target.PORTABLE, List.of(), List.of()).isEmpty());
        assertTrue(r.select(OptimizationLevel.BASIC, Target.PORTABLE, List.of(), List.of()).stream()
                .anyMatch(p -> p.name().equals("eliminate-dead-code")));
        assertTrue(r.select(OptimizationLevel.BASIC, Target.PORTABLE, List.of(), List.of("eliminate-dead-code"))
                .stream().noneMatch(p -> p.name().equals("eliminate-dead-code")));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> r.select(OptimizationLevel.BASIC, Target.PORTABLE, List.of("no-such-pass"), List.of()));
        assertTrue(e.getMessage().startsWith("unknown pass 'no-such-pass' (known: "), e.getMessage());
        assertTrue(e.getMessage().contains("eliminate-dead-code"), e.getMessage());
    }
}
