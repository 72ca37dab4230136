package io.mconv.agent.profile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RunBudgetTest {

    @Test
    void iterationBudgetStopsAtTheCountAndPreallocatesExactly() {
        RunBudget b = RunBudget.iterations(50);
        assertEquals(50, b.initialCapacity(123));
        assertFalse(b.finished(49, Long.MAX_VALUE));
        assertTrue(b.finished(50, 0));
        assertEquals(0.5, b.fraction(25, 0));
    }

    @Test
    void durationBudgetStopsAtTheTimeAndSizesFromTheEstimate() {
        RunBudget b = RunBudget.duration(Duration.ofSeconds(2));
        // 2 s at 1 ms a run: 2000 expected, plus half again so the loop does not grow the array
        assertEquals(3000, b.initialCapacity(1_000_000));
        assertEquals(16, b.initialCapacity(10_000_000_000L), "never fewer than 16 slots");
        assertFalse(b.finished(1_000_000, 1_999_999_999L));
        assertTrue(b.finished(1, 2_000_000_000L));
        assertEquals(0.25, b.fraction(7, 500_000_000L));
    }

    @Test
    void exactlyOneOfCountAndDuration() {
        assertThrows(IllegalArgumentException.class, () -> new RunBudget(5, Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class, () -> new RunBudget(0, null));
        assertThrows(IllegalArgumentException.class, () -> RunBudget.duration(Duration.ZERO));
    }
}
