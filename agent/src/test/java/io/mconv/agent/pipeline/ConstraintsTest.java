package io.mconv.agent.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConstraintsTest {

    @Test
    void eachConstraintIsCheckedAgainstItsFigure() {
        Constraints c = new Constraints(1000L, Duration.ofMillis(10), 0.01);
        List<ConstraintCheck> checks = c.check(1200, 8.5, 0.02);
        assertEquals(List.of("max-size", "max-latency", "max-accuracy-drop"),
                checks.stream().map(ConstraintCheck::name).toList());
        assertFalse(checks.get(0).met());
        assertEquals("1200 bytes", checks.get(0).measured());
        assertTrue(checks.get(1).met());
        assertEquals("8.50000 ms", checks.get(1).measured());
        assertFalse(checks.get(2).met());
        assertEquals("--max-accuracy-drop 0.0100000: measured 0.0200000 (missed)", checks.get(2).describe());
    }

    @Test
    void anUnmeasuredFigureMissesItsConstraint() {
        List<ConstraintCheck> checks = new Constraints(null, Duration.ofMillis(10), 0.01).check(1, Double.NaN,
                Double.NaN);
        assertEquals(2, checks.size());
        assertFalse(checks.get(0).met());
        assertEquals("not measured", checks.get(0).measured());
        assertFalse(checks.get(1).met());
        assertTrue(Constraints.NONE.check(1, 1, 1).isEmpty());
    }
}
