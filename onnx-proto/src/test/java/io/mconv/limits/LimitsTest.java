package io.mconv.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LimitsTest {

    @Test
    void defaultsAreTodaysHardCodedValues() {
        Limits d = Limits.defaults();
        assertEquals(64, d.get(Limit.PROTOBUF_DEPTH));
        assertEquals(32, d.get(Limit.GRAPH_DEPTH));
        assertEquals(64L << 20, d.get(Limit.ZIP_DIRECTORY_SIZE));
        assertEquals(100, d.get(Limit.INFLATE_RATIO));
        assertEquals(64L << 20, d.get(Limit.PICKLE_SIZE));
        assertEquals(1000, d.get(Limit.PICKLE_DEPTH));
        assertEquals(10_000_000L, d.get(Limit.PICKLE_OBJECTS));
        assertEquals(64L << 20, d.get(Limit.CODE_SIZE));
        assertEquals(200, d.get(Limit.SCRIPT_NESTING_DEPTH));
        assertEquals(200, d.get(Limit.SCRIPT_CALL_DEPTH));
        assertEquals(100_000, d.get(Limit.SCRIPT_LOOP_ITERATIONS));
        assertEquals(1L << 30, d.get(Limit.PROFILE_INPUT_SIZE));
        assertEquals(Integer.MAX_VALUE - 16, d.get(Limit.TEST_INPUT_SIZE));
    }

    @Test
    void withSetsOneLimitAndLeavesTheInstanceItCameFromAlone() {
        Limits raised = Limits.defaults().with(Limit.PICKLE_DEPTH, 5000);
        assertEquals(5000, raised.get(Limit.PICKLE_DEPTH));
        assertEquals(1000, Limits.defaults().get(Limit.PICKLE_DEPTH));
        assertEquals(64, raised.get(Limit.PROTOBUF_DEPTH));
        assertEquals(Integer.MAX_VALUE, raised.with(Limit.GRAPH_DEPTH, 1L << 40).getInt(Limit.GRAPH_DEPTH));
        assertThrows(IllegalArgumentException.class, () -> new Limits(Map.of(Limit.GRAPH_DEPTH, 0L)));
    }

    @Test
    void namesAreUniqueAndFoundCaseInsensitively() {
        assertEquals(Limit.values().length, Arrays.stream(Limit.values()).map(Limit::flagName).distinct().count());
        assertEquals(Limit.PICKLE_DEPTH, Limit.byName(" Pickle-Depth ").orElseThrow());
        assertTrue(Limit.byName("pickle_depth").isEmpty());
        assertTrue(Limit.names().startsWith("protobuf-depth, graph-depth, "), Limit.names());
    }

    @Test
    void refusalsNameTheLimitItsValueAndTheFlag() {
        assertEquals("exceeds limit pickle-depth=1000; raise it with --limit pickle-depth=N",
                Limits.defaults().exceeded(Limit.PICKLE_DEPTH));
        assertEquals("exceeds limit pickle-size=64MiB; raise it with --limit pickle-size=N",
                Limit.PICKLE_SIZE.exceeded(64L << 20));
        assertEquals("1GiB", Limit.PROFILE_INPUT_SIZE.format(1L << 30));
        assertEquals("1000", Limit.PICKLE_SIZE.format(1000));
        assertEquals("2147483631", Limit.TEST_INPUT_SIZE.format(Integer.MAX_VALUE - 16));
    }
}
