package io.mconv.onnx.io.bench;

import io.mconv.onnx.io.ExternalDataPolicy;
import io.mconv.onnx.io.LoadedModel;
import io.mconv.onnx.io.ModelReader;
import io.mconv.onnx.io.ModelTensors;
import io.mconv.onnx.io.ModelWriter;
import io.mconv.onnx.io.WriteOptions;
import io.mconv.onnx.io.WriteResult;
import io.mconv.onnx.proto.Onnx.GraphProto;
import io.mconv.onnx.proto.Onnx.ModelProto;
import io.mconv.onnx.proto.Onnx.OperatorSetIdProto;
import io.mconv.onnx.proto.Onnx.StringStringEntryProto;
import io.mconv.onnx.proto.Onnx.TensorProto;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.CRC32;

/**
 * Writes and reads a model with more than 2 GiB of float weights through external data, under a small heap.
 *
 * <p>Steps: (1) stream deterministic floats for {@code tensors} tensors of {@code mib} MiB each into a source data
 * file, 1 MiB at a time, and write a small model pointing at it; (2) read that model and write it with the
 * default AUTO policy, which must choose external data because the weights exceed 2 GiB (timed: "write");
 * (3) read the result back and CRC every tensor's bytes through the resolver (timed: "read"), comparing with the
 * CRCs computed while generating. Prints heap peaks, times and file sizes, then deletes everything.
 *
 * <p>Run with {@code bench/external-data-2g.sh}; arguments: [tensors=40] [mib=64] [folder=/tmp].
 */
public final class ExternalData2G {
    private ExternalData2G() {}

    public static void main(String[] args) throws IOException {
        int tensors = args.length > 0 ? Integer.parseInt(args[0]) : 40;
        int mib = args.length > 1 ? Integer.parseInt(args[1]) : 64;
        Path base = Path.of(args.length > 2 ? args[2] : "/tmp");
        boolean keepSource = args.length > 3 && args[3].equals("keep-source");
        Path work = Files.createTempDirectory(base, "mconv-bench-");
        try {
            run(work, tensors, (long) mib << 20);
            if (keepSource) {
                // The script goes on to run the mconv command line on the source; it deletes the folder itself.
                System.out.println("source kept: " + work.resolve("src").resolve("src.onnx"));
                return;
            }
        } finally {
            if (keepSource) {
                Files.deleteIfExists(work.resolve("out").resolve("model.onnx.data"));
                Files.deleteIfExists(work.resolve("out").resolve("model.onnx"));
                return;
            }
            try (Stream<Path> s = Files.walk(work)) {
                for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
            System.out.println("deleted " + work);
        }
    }

    private static void run(Path work, int tensors, long tensorBytes) throws IOException {
        Path srcDir = Files.createDirectory(work.resolve("src"));
        Path outDir = Files.createDirectory(work.resolve("out"));
        System.out.printf("max heap %d MiB; %d tensors x %d MiB = %.2f GiB of float weights%n",
                Runtime.getRuntime().maxMemory() >> 20, tensors, tensorBytes >> 20, tensors * tensorBytes / (double) (1L << 30));

        long t0 = System.nanoTime();
        long[] crcs = new long[tensors];
        Path srcData = srcDir.resolve("src.bin");
        GraphProto.Builder graph = GraphProto.newBuilder().setName("bench");
        try (FileChannel ch = FileChannel.open(srcData, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteBuffer chunk = ByteBuffer.allocateDirect(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
            long offset = 0;
            for (int i = 0; i < tensors; i++) {
                CRC32 crc = new CRC32();
                int state = 0x9E3779B9 * (i + 1);
                for (long done = 0; done < tensorBytes; done += chunk.capacity()) {
                    chunk.clear();
                    while (chunk.hasRemaining()) {
                        state ^= state << 13;
                        state ^= state >>> 17;
                        state ^= state << 5;
                        chunk.putFloat((state >>> 8) / (float) (1 << 24) - 0.5f);
                    }
                    chunk.flip();
                    crc.update(chunk.duplicate());
                    while (chunk.hasRemaining()) {
                        ch.write(chunk);
                    }
                }
                crcs[i] = crc.getValue();
                graph.addInitializer(TensorProto.newBuilder().setName("w" + i).setDataType(TensorProto.DataType.FLOAT_VALUE)
                        .addDims(tensorBytes / 4).setDataLocation(TensorProto.DataLocation.EXTERNAL)
                        .addExternalData(entry("location", "src.bin"))
                        .addExternalData(entry("offset", Long.toString(offset)))
                        .addExternalData(entry("length", Long.toString(tensorBytes))));
                offset += tensorBytes;
            }
        }
        ModelProto model = ModelProto.newBuilder().setIrVersion(9).setProducerName("mconv-bench")
                .addOpsetImport(OperatorSetIdProto.newBuilder().setVersion(17)).setGraph(graph).build();
        Path src = srcDir.resolve("src.onnx");
        Files.write(src, model.toByteArray());
        long generateNs = System.nanoTime() - t0;
        System.out.printf("generate: %.2f s (source data %d bytes)%n", generateNs / 1e9, Files.size(srcData));
        resetPeaks();

        Path out = outDir.resolve("model.onnx");
        long t1 = System.nanoTime();
        WriteResult written;
        try (LoadedModel in = new ModelReader().read(src)) {
            written = new ModelWriter().write(in.model(), out, WriteOptions.forInput(in).withPolicy(ExternalDataPolicy.AUTO));
        }
        long writeNs = System.nanoTime() - t1;
        if (written.dataFile() == null) {
            throw new AssertionError("AUTO should have chosen external data for a model over 2 GiB");
        }
        long writeHeapPeak = heapPeak();
        System.out.printf("write (AUTO -> external): %.2f s, heap peak %d MiB; %s = %d bytes, %s = %d bytes, %d external tensors%n",
                writeNs / 1e9, writeHeapPeak >> 20, written.modelFile().getFileName(), written.modelBytes(),
                written.dataFile().getFileName(), written.dataBytes(), written.externalTensors());
        resetPeaks();

        long t2 = System.nanoTime();
        int ok = 0;
        try (LoadedModel back = new ModelReader().read(out)) {
            List<TensorProto> all = ModelTensors.list(back.model());
            for (int i = 0; i < all.size(); i++) {
                CRC32 crc = new CRC32();
                crc.update(back.externalData(all.get(i)));
                if (crc.getValue() != crcs[i]) {
                    throw new AssertionError("tensor " + i + " checksum mismatch");
                }
                ok++;
            }
        }
        long readNs = System.nanoTime() - t2;
        System.out.printf("read + CRC32 of every tensor: %.2f s, heap peak %d MiB; %d/%d tensors match%n",
                readNs / 1e9, heapPeak() >> 20, ok, tensors);
        System.out.printf("throughput: write %.0f MiB/s, read %.0f MiB/s%n",
                written.dataBytes() / (writeNs / 1e9) / (1 << 20), written.dataBytes() / (readNs / 1e9) / (1 << 20));
    }

    private static StringStringEntryProto entry(String k, String v) {
        return StringStringEntryProto.newBuilder().setKey(k).setValue(v).build();
    }

    private static void resetPeaks() {
        System.gc();
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            p.resetPeakUsage();
        }
    }

    /** Sum of the heap pools' peaks since the last reset: an upper bound on the heap in use at any moment. */
    private static long heapPeak() {
        long sum = 0;
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP) {
                sum += p.getPeakUsage().getUsed();
            }
        }
        return sum;
    }
}
