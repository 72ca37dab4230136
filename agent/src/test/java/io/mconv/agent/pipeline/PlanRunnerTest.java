package io.mconv.agent.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runner's own contract, with small tools of the pipeline's interface that append text to a file (the real
 * tools are exercised by the CLI tests): chained keys, cache hits, a failure naming the step, resuming after it.
 */
class PlanRunnerTest {

    @TempDir
    Path dir;

    /** Copies its input and appends its tag; fails while {@code failing[0]} is set. */
    private static final class Append implements Tool {
        private final String tag;
        private final StepKind kind;
        private final boolean[] failing;
        int runs;

        Append(String tag, StepKind kind, boolean[] failing) {
            this.tag = tag;
            this.kind = kind;
            this.failing = failing;
        }

        @Override
        public String name() {
            return tag;
        }

        @Override
        public String description() {
            return "append " + tag;
        }

        @Override
        public StepKind category() {
            return kind;
        }

        @Override
        public Map<String, String> options() {
            return Map.of("tag", tag);
        }

        @Override
        public StepOutcome run(StepInput input, StepContext context) {
            runs++;
            if (failing[0]) {
                throw new IllegalStateException("no " + tag + " today");
            }
            try {
                Files.writeString(context.artifactFile(), Files.readString(input.model()) + tag);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Map<String, Object> figures = new LinkedHashMap<>();
            figures.put("length", tag.length());
            return new StepOutcome(context.artifactFile(), figures, List.of(Diagnostic.info("note", tag)));
        }
    }

    /** A quantization that fails naming the file it read, as the real tools do. */
    private static final class RefusesItsInput implements Tool {
        @Override
        public String name() {
            return "q";
        }

        @Override
        public String description() {
            return "refuse";
        }

        @Override
        public StepKind category() {
            return StepKind.QUANTIZE;
        }

        @Override
        public Map<String, String> options() {
            return Map.of();
        }

        @Override
        public StepOutcome run(StepInput input, StepContext context) {
            throw new IllegalStateException(input.model() + ": the quantized model drifts too far");
        }
    }

    private Plan plan(Path source, Tool... steps) {
        return new Plan(source, SourceKinds.ONNX, dir.resolve("out.onnx"), List.of(steps), List.of());
    }

    @Test
    void stepsChainTheirArtifactsAndASecondRunIsServedFromTheCache() throws Exception {
        Path source = Files.writeString(dir.resolve("m.onnx"), "src:");
        boolean[] ok = {false};
        Append a = new Append("a", StepKind.EXPORT, ok);
        Append b = new Append("b", StepKind.OPTIMIZE, ok);
        ArtifactCache cache = new ArtifactCache(dir.resolve("cache"), 1 << 20);
        List<String> events = new ArrayList<>();
        PlanListener listener = new PlanListener() {
            @Override
            public void finished(StepResult result, int index, int total) {
                events.add(index + "/" + total + " " + result.name() + (result.cached() ? " cached" : ""));
            }
        };
        PlanRun first = new PlanRunner(cache, "test", listener).run(plan(source, a, b));
        assertEquals("src:ab", Files.readString(first.finalModel()));
        assertEquals(first.steps().get(0).artifact(), first.baseline(), "the export is the float baseline");
        PlanRun second = new PlanRunner(cache, "test", listener).run(plan(source, a, b));
        assertEquals(List.of("1/2 a", "2/2 b", "1/2 a cached", "2/2 b cached"), events);
        assertEquals(1, a.runs);
        assertEquals(1, b.runs);
        assertEquals(2, second.cacheHits());
        assertEquals(first.finalModel(), second.finalModel());
        assertEquals(first.steps().get(1).figures(), second.steps().get(1).figures());
        assertEquals("note", second.steps().get(1).diagnostics().get(0).code());

        PlanRun otherVersion = new PlanRunner(cache, "test-2", PlanListener.NONE).run(plan(source, a, b));
        assertEquals(0, otherVersion.cacheHits(), "the mconv version is part of every key");
        Files.writeString(source, "changed:");
        PlanRun changed = new PlanRunner(cache, "test", PlanListener.NONE).run(plan(source, a, b));
        assertEquals(0, changed.cacheHits(), "the source's content is part of every key");
        assertNotEquals(first.steps().get(0).key(), changed.steps().get(0).key());
        assertEquals("changed:ab", Files.readString(changed.finalModel()));
    }

    @Test
    void aFailingStepIsNamedAndTheNextRunResumesAfterTheLastFinishedStep() throws Exception {
        Path source = Files.writeString(dir.resolve("m.onnx"), "src:");
        boolean[] ok = {false};
        boolean[] quantizeFails = {true};
        Append a = new Append("a", StepKind.EXPORT, ok);
        Append q = new Append("q", StepKind.QUANTIZE, quantizeFails);
        ArtifactCache cache = new ArtifactCache(dir.resolve("cache"), 1 << 20);
        StepFailedException e = assertThrows(StepFailedException.class,
                () -> new PlanRunner(cache, "test", PlanListener.NONE).run(plan(source, a, q)));
        assertEquals(StepKind.QUANTIZE, e.kind());
        assertEquals("the quantization step (q) failed: no q today", e.getMessage());
        assertTrue(e.getCause() instanceof IllegalStateException);
        try (var staging = Files.list(dir.resolve("cache").resolve("staging"))) {
            assertFalse(staging.findAny().isPresent(), "the failed step left no staging folder");
        }

        quantizeFails[0] = false;
        PlanRun resumed = new PlanRunner(cache, "test", PlanListener.NONE).run(plan(source, a, q));
        assertEquals(1, a.runs, "the finished export was not run again");
        assertTrue(resumed.steps().get(0).cached());
        assertFalse(resumed.steps().get(1).cached());
        assertEquals("src:aq", Files.readString(resumed.finalModel()));
    }

    @Test
    void aFailureAboutAnEarlierStepsFileNamesTheSourceAndThatStepInstead() throws Exception {
        Path source = Files.writeString(dir.resolve("m.onnx"), "src:");
        Tool refuses = new RefusesItsInput();
        Append optimize = new Append("o", StepKind.OPTIMIZE, new boolean[] {false});
        ArtifactCache cache = new ArtifactCache(dir.resolve("cache"), 1 << 20);
        StepFailedException later = assertThrows(StepFailedException.class,
                () -> new PlanRunner(cache, "test", PlanListener.NONE).run(plan(source, optimize, refuses)));
        assertEquals("the quantization step (q) failed: " + source + " after the o step: the quantized model drifts "
                + "too far", later.getMessage());
        assertTrue(later.getCause().getMessage().contains(dir.resolve("cache").toString()),
                "the cause keeps the real path for --verbose: " + later.getCause().getMessage());
        // As the first step the file is the user's own, named as it is.
        StepFailedException first = assertThrows(StepFailedException.class,
                () -> new PlanRunner(cache, "test", PlanListener.NONE).run(plan(source, refuses)));
        assertEquals("the quantization step (q) failed: " + source + ": the quantized model drifts too far",
                first.getMessage());
    }

    @Test
    void scratchStoreForgetsEverything() throws Exception {
        Path source = Files.writeString(dir.resolve("m.onnx"), "src:");
        Append a = new Append("a", StepKind.EXPORT, new boolean[] {false});
        try (ScratchStore store = new ScratchStore()) {
            new PlanRunner(store, "test", PlanListener.NONE).run(plan(source, a));
            PlanRun again = new PlanRunner(store, "test", PlanListener.NONE).run(plan(source, a));
            assertEquals(0, again.cacheHits());
            assertEquals(2, a.runs);
        }
    }
}
