package io.mconv.onnx.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mconv.onnx.proto.Onnx.ModelProto;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Leftover temporaries of killed writers (BAD_INPUTS 19): named by their writer, swept once it is gone. */
class WriterTemporariesTest {
    @TempDir
    Path dir;

    /** The id of a process that has ended (pids are not reused at once on Linux: they count up first). */
    private static long deadPid() throws Exception {
        Process p = new ProcessBuilder("true").start();
        p.waitFor();
        return p.pid();
    }

    private List<String> folder() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void namesCarryTheWritersProcessIdAndAreRecognisedOnlyForTheirDestination() throws IOException {
        Path t = new WriterTemporaries(4242).create(dir, "m.onnx");
        String name = t.getFileName().toString();
        assertTrue(name.startsWith(".m.onnx.4242-") && name.endsWith(".tmp"), name);
        assertEquals(Optional.of(4242L), WriterTemporaries.owner(name, List.of("m.onnx", "m.onnx.data")));
        assertEquals(Optional.empty(), WriterTemporaries.owner(name, List.of("other.onnx")));
        assertEquals(Optional.empty(), WriterTemporaries.owner(".m.onnx.123.tmp", List.of("m.onnx")),
                "the random part is required: an old-style or foreign name is not ours");
        assertEquals(Optional.empty(), WriterTemporaries.owner(".m.onnx.x-1.tmp", List.of("m.onnx")));
    }

    @Test
    void sweepDeletesOnlyTemporariesOfDeadWritersOfTheseNames() throws Exception {
        long dead = deadPid();
        long alive = ProcessHandle.current().parent().orElseThrow().pid();
        Path stale = new WriterTemporaries(dead).create(dir, "m.onnx");
        Path staleData = new WriterTemporaries(dead).create(dir, "m.onnx.data");
        Path live = new WriterTemporaries(alive).create(dir, "m.onnx");
        Path otherDestination = new WriterTemporaries(dead).create(dir, "other.onnx");
        Files.writeString(dir.resolve(".foreign.tmp"), "not ours");

        List<Path> deleted = new WriterTemporaries().sweepStale(dir, List.of("m.onnx", "m.onnx.data"));

        assertEquals(2, deleted.size());
        assertTrue(deleted.contains(stale) && deleted.contains(staleData));
        assertEquals(List.of(".foreign.tmp", live.getFileName().toString(),
                otherDestination.getFileName().toString()).stream().sorted().toList(), folder());
    }

    @Test
    void aWriteSweepsWhatAKilledWriterOfTheSameDestinationLeft() throws Exception {
        Path out = dir.resolve("model.onnx");
        Path stale = new WriterTemporaries(deadPid()).create(dir, "model.onnx");
        Files.write(stale, new byte[1000]);
        ModelProto model = TestModels.model(TestModels.graph("g", TestModels.rawTensor("w", 64, 3)));

        new ModelWriter().write(model, out, WriteOptions.defaults().withPolicy(ExternalDataPolicy.NEVER));

        assertEquals(List.of("model.onnx"), folder());
        assertArrayEquals(model.toByteArray(), Files.readAllBytes(out));
    }
}
