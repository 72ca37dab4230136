package io.mconv.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mconv.onnx.proto.Onnx;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * BAD_INPUTS 19, proven rather than argued: {@code mconv optimize} and {@code mconv convert} of a ~105 MB ONNX model
 * run as real child processes ({@code java -cp <test class path> io.mconv.cli.Main ...}) and are killed with SIGKILL
 * ({@link Process#destroyForcibly()}) at a random moment of their run, many times. After every kill the destination
 * must be absent or byte-identical to the file that was there before (pre-created in half the rounds) or to the
 * complete result; after the next successful run no temporary file of the writer may remain.
 *
 * <p>The number asked for is the number of kills: a round whose process finished before its kill moment proves
 * nothing about kills, so rounds go on until that many processes were really killed, at most
 * {@value #MAX_ROUNDS_PER_KILL} rounds per kill asked (more would mean the kill moments miss the runs: a failure).
 * Kills: {@value #DEFAULT_KILLS} here (about a minute and a half on two cores); {@code bench/kill-test.sh} asks for
 * 200 through the system property {@value #KILLS_PROPERTY}.
 */
class KillMidWriteTest {

    static final String KILLS_PROPERTY = "mconv.killTest.kills";
    private static final int DEFAULT_KILLS = 40;
    /** The cap on rounds, per kill asked: two rounds in three or more end in a kill, so 3 leaves a wide margin. */
    private static final int MAX_ROUNDS_PER_KILL = 3;
    /** A successful run every this many rounds proves the next run sweeps what the killed ones left. */
    private static final int SUCCESS_EVERY = 10;
    /** 4096 x 6400 floats: 105 MB, so that writing (and forcing to disk) takes a noticeable part of a run. */
    private static final int ROWS = 4096;
    private static final int COLUMNS = 6400;

    @TempDir
    Path dir;

    private enum Variant {
        OPTIMIZE("optimize", "out-optimized.onnx"),
        CONVERT_EXTERNAL("convert", "out-converted.onnx");

        final String command;
        final String output;

        Variant(String command, String output) {
            this.command = command;
            this.output = output;
        }

        List<String> args(Path source, Path out) {
            return this == OPTIMIZE
                    ? List.of("optimize", source.toString(), "-o", out.toString(), "--no-validate")
                    : List.of("convert", source.toString(), "--to", "onnx", "-o", out.toString(), "--no-validate",
                            "--external-data");
        }

        Path data(Path out) {
            return this == CONVERT_EXTERNAL ? out.resolveSibling(out.getFileName() + ".data") : null;
        }
    }

    /** One file's size and SHA-256, or null for an absent file; digests keep 170 MB files off the test's heap. */
    private record FileState(long size, String sha256) {
        static FileState of(Path p) throws IOException {
            if (!Files.exists(p)) {
                return null;
            }
            try (java.io.InputStream in = Files.newInputStream(p)) {
                java.security.MessageDigest md = java.security.MessageDigest.getInstance("SHA-256");
                byte[] buf = new byte[1 << 20];
                for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
                    md.update(buf, 0, n);
                }
                return new FileState(Files.size(p), java.util.HexFormat.of().formatHex(md.digest()));
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** What a run left: the model file and its data file (null when absent or not written by the variant). */
    private record Files2(FileState model, FileState data) {
        boolean sameAs(Files2 o) {
            return java.util.Objects.equals(model, o.model) && java.util.Objects.equals(data, o.data);
        }
    }

    @Test
    void killedWritersLeaveTheOldFileOrTheNewOneAndTheNextRunLeavesNoTemporaries() throws Exception {
        int killsAsked = Integer.getInteger(KILLS_PROPERTY, DEFAULT_KILLS);
        assertTrue(killsAsked > 0, KILLS_PROPERTY + " must be positive: " + killsAsked);
        int maxRounds = killsAsked * MAX_ROUNDS_PER_KILL;
        Path source = dir.resolve("big.onnx");
        writeBigModel(source);
        // The "previous complete file" of pre-created rounds: a valid inline model whose bytes differ from any result.
        Path oldModel = dir.resolve("old.onnx");
        writeModel(oldModel, 16, 16);
        byte[] old = Files.readAllBytes(oldModel);

        Path work = Files.createDirectory(dir.resolve("out"));
        List<Variant> variants = List.of(Variant.values());
        java.util.Map<Variant, Files2> complete = new java.util.EnumMap<>(Variant.class);
        java.util.Map<Variant, Long> runMillis = new java.util.EnumMap<>(Variant.class);
        java.util.Map<Variant, Long> coldMillis = new java.util.EnumMap<>(Variant.class);
        java.util.Map<Variant, Long> writeMillis = new java.util.EnumMap<>(Variant.class);
        for (Variant v : variants) {
            long t0 = System.nanoTime();
            Path out = work.resolve(v.output);
            Process first = start(v.args(source, out));
            awaitNewTemporary(work, List.of(), first);
            long writing = System.nanoTime();
            assertEquals(0, first.waitFor(), v + " must succeed on the model");
            long end = System.nanoTime();
            coldMillis.put(v, (end - t0) / 1_000_000);
            writeMillis.put(v, Math.max(1, (end - writing) / 1_000_000));
            complete.put(v, read(out, v.data(out)));
            long t1 = System.nanoTime();
            assertEquals(0, runToEnd(v.args(source, out)));
            // The first run is cold (page cache, class data); a kill window sized by it alone would reach well past
            // the end of the warm runs that follow and waste rounds, so the faster of the two sizes it.
            runMillis.put(v, Math.min(coldMillis.get(v), (System.nanoTime() - t1) / 1_000_000));
            assertTrue(complete.get(v).sameAs(read(out, v.data(out))), v + ": two complete runs must agree byte "
                    + "for byte, or a killed run could not be compared with a complete one");
            clean(out, v.data(out));
        }

        Random random = new Random(20240608L);
        int kills = 0;
        int midWrite = 0;
        int corrupt = 0;
        int partial = 0;
        List<String> problems = new ArrayList<>();
        int round = 0;
        while (kills < killsAsked && round < maxRounds) {
            round++;
            Variant v = variants.get(round % variants.size());
            Path out = work.resolve(v.output);
            Path data = v.data(out);
            clean(out, data);
            boolean preCreated = round % 4 < 2; // half the rounds, both variants alike
            if (preCreated) {
                Files.write(out, old);
            }
            Files2 before = read(out, data);
            // Odd rounds: a moment anywhere from the JVM's start to just past a complete run's usual end. Even rounds:
            // a moment while the files are being written (after the first temporary appears), where a kill matters.
            boolean duringWrite = round % 2 == 0;
            List<String> temporariesBefore = temporaries(work);
            Process p = start(v.args(source, out));
            long delay;
            if (duringWrite) {
                awaitNewTemporary(work, temporariesBefore, p);
                // The measured window ends with the JVM's exit; the files are complete well before it.
                delay = (long) (random.nextDouble() * writeMillis.get(v) * 0.6);
            } else {
                delay = (long) (random.nextDouble() * runMillis.get(v) * 1.1);
            }
            boolean ended = p.waitFor(delay, TimeUnit.MILLISECONDS);
            if (!ended) {
                p.destroyForcibly();
                p.waitFor();
                kills++;
            }
            Files2 after = read(out, data);
            boolean ok = after.sameAs(before) || after.sameAs(complete.get(v))
                    // The data file is renamed into place first: a kill between the two renames leaves the old
                    // (inline) model beside a complete new data file, which that model does not read.
                    || data != null && java.util.Objects.equals(after.model(), before.model())
                    && java.util.Objects.equals(after.data(), complete.get(v).data());
            if (!ok) {
                boolean truncated = after.model() != null && after.model().size() < complete.get(v).model().size()
                        && (before.model() == null || after.model().size() != before.model().size())
                        || after.data() != null && after.data().size() < complete.get(v).data().size();
                if (truncated) {
                    partial++;
                } else {
                    corrupt++;
                }
                problems.add("round " + round + " (" + v + ", killed after " + delay + " ms)");
            }
            // New names, not a count: the killed writer swept older leftovers before leaving its own.
            if (!temporariesBefore.containsAll(temporaries(work))) {
                midWrite++;
            }
            boolean lastRound = kills == killsAsked || round == maxRounds;
            if (round % SUCCESS_EVERY == 0 || lastRound) {
                assertEquals(0, runToEnd(v.args(source, out)), "round " + round + ": the run after the kills");
                assertTrue(complete.get(v).sameAs(read(out, data)));
                Variant other = variants.get((round + 1) % variants.size());
                assertEquals(0, runToEnd(other.args(source, work.resolve(other.output))));
                assertEquals(List.of(), temporaries(work), "round " + round
                        + ": the next successful runs must sweep the temporaries the killed ones left");
            }
        }
        // "mid-write": the killed writer left a temporary behind, i.e. it died while writing.
        System.out.println("kills: " + kills + " of " + killsAsked + " asked (" + midWrite + " mid-write) in " + round
                + " rounds, corrupt: " + corrupt + ", partial: " + partial + " [complete runs: optimize "
                + runMillis.get(Variant.OPTIMIZE) + " ms (first, cold: " + coldMillis.get(Variant.OPTIMIZE)
                + " ms; writing " + writeMillis.get(Variant.OPTIMIZE) + " ms), convert "
                + runMillis.get(Variant.CONVERT_EXTERNAL) + " ms (first, cold: "
                + coldMillis.get(Variant.CONVERT_EXTERNAL) + " ms; writing "
                + writeMillis.get(Variant.CONVERT_EXTERNAL) + " ms)]");
        assertEquals(List.of(), problems, "destinations neither old nor complete");
        assertEquals(killsAsked, kills, "only " + kills + " of the " + killsAsked + " kills asked for in " + round
                + " rounds (the cap, " + MAX_ROUNDS_PER_KILL + " per kill): the other runs ended before their kill "
                + "moment, so the kill moments no longer fall inside the runs");
        assertTrue(midWrite > 0, "no kill landed while a file was being written: the model is too small to prove "
                + "anything");
    }

    private static void writeBigModel(Path file) throws IOException {
        writeModel(file, ROWS, COLUMNS);
    }

    /** x[1,rows] MatMul W[rows,columns] -> y, W inline with seeded values. */
    private static void writeModel(Path file, int rows, int columns) throws IOException {
        ByteBuffer w = ByteBuffer.allocate(rows * columns * 4).order(ByteOrder.LITTLE_ENDIAN);
        Random r = new Random(7);
        while (w.hasRemaining()) {
            w.putFloat(r.nextFloat() - 0.5f);
        }
        w.flip();
        Onnx.TensorProto weights = Onnx.TensorProto.newBuilder().setName("W").addDims(rows).addDims(columns)
                .setDataType(Onnx.TensorProto.DataType.FLOAT_VALUE)
                .setRawData(com.google.protobuf.UnsafeByteOperations.unsafeWrap(w)).build();
        Onnx.GraphProto graph = Onnx.GraphProto.newBuilder().setName("big")
                .addInput(floatInput("x", 1, rows)).addOutput(floatInput("y", 1, columns))
                .addInitializer(weights)
                .addNode(Onnx.NodeProto.newBuilder().setOpType("MatMul").addInput("x").addInput("W").addOutput("y"))
                .build();
        Onnx.ModelProto model = Onnx.ModelProto.newBuilder().setIrVersion(8).setProducerName("kill-test")
                .addOpsetImport(Onnx.OperatorSetIdProto.newBuilder().setDomain("").setVersion(17))
                .setGraph(graph).build();
        try (OutputStream os = Files.newOutputStream(file)) {
            model.writeTo(os);
        }
    }

    private static Onnx.ValueInfoProto floatInput(String name, long... dims) {
        Onnx.TensorShapeProto.Builder shape = Onnx.TensorShapeProto.newBuilder();
        for (long d : dims) {
            shape.addDim(Onnx.TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        }
        return Onnx.ValueInfoProto.newBuilder().setName(name).setType(Onnx.TypeProto.newBuilder().setTensorType(
                Onnx.TypeProto.Tensor.newBuilder().setElemType(Onnx.TensorProto.DataType.FLOAT_VALUE)
                        .setShape(shape))).build();
    }

    /** Waits until the writer has created a temporary not among the {@code known} ones (or has ended). */
    private static void awaitNewTemporary(Path folder, List<String> known, Process p) throws Exception {
        while (p.isAlive() && known.containsAll(temporaries(folder))) {
            Thread.sleep(2);
        }
    }

    /** The real launcher's way: a fresh JVM on this test's class path running {@link Main}. */
    private Process start(List<String> args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx1g", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(args);
        return new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(dir.resolve("last-stderr.txt").toFile()).start();
    }

    private int runToEnd(List<String> args) throws Exception {
        Process p = start(args);
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("mconv " + args + " did not finish in 5 minutes");
        }
        if (p.exitValue() != 0) {
            System.err.println(Files.readString(dir.resolve("last-stderr.txt")));
        }
        return p.exitValue();
    }

    private static Files2 read(Path model, Path data) throws IOException {
        return new Files2(FileState.of(model), data == null ? null : FileState.of(data));
    }

    private static void clean(Path model, Path data) throws IOException {
        Files.deleteIfExists(model);
        if (data != null) {
            Files.deleteIfExists(data);
        }
    }

    private static List<String> temporaries(Path folder) throws IOException {
        try (Stream<Path> s = Files.list(folder)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".tmp")).sorted().toList();
        }
    }
}
