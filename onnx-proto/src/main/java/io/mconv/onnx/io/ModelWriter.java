package io.mconv.onnx.io;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.UnsafeByteOperations;
import io.mconv.onnx.proto.Onnx.ModelProto;
import io.mconv.onnx.proto.Onnx.TensorProto;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Writes a model to a file, inline or with its large tensors in one external data file.
 *
 * <p>Writes are atomic: each file is first written under a hidden temporary name in the destination folder,
 * forced to disk, then renamed over the destination, the data file first and the {@code .onnx} last, so a crash
 * leaves either the old model or the new one. On failure the temporaries are deleted and the destination is left
 * as it was; temporaries a killed writer could not delete are swept by the next write of the same destination
 * ({@link WriterTemporaries}).
 *
 * <p>Tensor bytes are streamed, never gathered: raw data is written from views of its ByteString's storage
 * ({@code asReadOnlyByteBufferList}, no copy), and tensors that are still external are mapped through the
 * {@link TensorDataSource} and written from the mapping, not through a heap array of their size.
 */
public final class ModelWriter {
    /** Enclosing messages' length prefixes grow by at most 4 bytes each; this bounds how many enclose a tensor. */
    private static final int MAX_ENCLOSING = ModelReader.DEFAULT_RECURSION_LIMIT;
    private static final int WRITE_BUFFER = 1 << 16;

    private final WriterTemporaries temporaries = new WriterTemporaries();

    /**
     * Writes {@code model} to {@code out} as {@code options} say.
     *
     * @throws OutputPathException when the output would replace a protected file, its folder is missing, or the
     *     model cannot be written in the form asked (too large for an inline file)
     * @throws InvalidModelException when the data of a still-external tensor cannot be read
     * @throws IOException when writing fails (disk full, permission); the destination is then unchanged
     */
    public WriteResult write(ModelProto model, Path out, WriteOptions options) throws IOException {
        return write(model, out, options, staged -> { });
    }

    /**
     * Writes as {@link #write(ModelProto, Path, WriteOptions)} does, and calls {@code beforeCommit} once the files
     * are complete on disk under their temporary names and before they replace the destination. When it throws,
     * the temporaries are deleted, the destination is left as it was and the exception propagates. This lets a
     * caller check the very bytes it is about to publish (open them in a runtime) without serializing the model a
     * second time.
     */
    public WriteResult write(ModelProto model, Path out, WriteOptions options, BeforeCommit beforeCommit)
            throws IOException {
        Path target = out.toAbsolutePath().normalize();
        Path dir = target.getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw new OutputPathException(out, "the output folder does not exist");
        }
        if (Files.isDirectory(target)) {
            throw new OutputPathException(out, "is a folder; give a file name for the output model");
        }
        for (Path p : options.protectedPaths()) {
            if (sameFile(target, p)) {
                throw new OutputPathException(out, "is the input file " + p
                        + " (or a link to it); refusing to overwrite the input");
            }
        }
        String dataName = options.dataFileName() != null ? options.dataFileName() : target.getFileName() + ".data";
        checkPlainName(out, dataName);
        Path dataPath = dir.resolve(dataName);
        if (dataPath.equals(target)) {
            throw new OutputPathException(out, "the external data file cannot have the model file's name");
        }

        boolean external = switch (options.policy()) {
            case NEVER -> false;
            case ALWAYS -> true;
            case AUTO -> inlineSize(model, options.source()) > options.inlineLimitBytes()
                    || heapCopyBytes(model, options.source()) > Runtime.getRuntime().maxMemory() / 2;
        };
        if (external) {
            checkDataFileTarget(out, dataPath, model, options);
        }

        // Leftovers of an earlier writer of this destination that was killed mid-write (SIGKILL runs no clean-up).
        temporaries.sweepStale(dir, List.of(target.getFileName().toString(), dataName));
        List<Path> temps = new ArrayList<>(2);
        try {
            ModelProto toWrite;
            Path dataTemp = null;
            long dataBytes = 0;
            int externalCount = 0;
            if (external) {
                dataTemp = tempFile(dir, dataName, temps);
                DataFileWriter data;
                try (FileChannel ch = FileChannel.open(dataTemp, StandardOpenOption.WRITE)) {
                    data = new DataFileWriter(ch, dataName, options);
                    toWrite = ModelTensors.map(model, data::place);
                    ch.force(true);
                }
                dataBytes = Files.size(dataTemp);
                externalCount = data.count;
                if (externalCount == 0) {
                    // Nothing reached the threshold: no data file, rather than an empty one nothing points to.
                    Files.delete(dataTemp);
                    temps.remove(dataTemp);
                    dataTemp = null;
                    dataBytes = 0;
                }
            } else {
                toWrite = ModelTensors.map(model, t -> isExternal(t) ? inline(t, options.source()) : t);
            }
            long size = inlineSize(toWrite, null);
            if (size > options.inlineLimitBytes()) {
                throw new OutputPathException(out, "the model would be " + size + " bytes inline, over the "
                        + options.inlineLimitBytes() + "-byte protobuf limit"
                        + (external ? " even with external data (typed, non-raw tensor data stays inline)"
                                : "; write it with external data"));
            }
            Path modelTemp = tempFile(dir, target.getFileName().toString(), temps);
            try (FileChannel ch = FileChannel.open(modelTemp, StandardOpenOption.WRITE)) {
                OutputStream os = Channels.newOutputStream(ch);
                CodedOutputStream cos = CodedOutputStream.newInstance(os, WRITE_BUFFER);
                toWrite.writeTo(cos);
                cos.flush();
                ch.force(true);
            }
            long modelBytes = Files.size(modelTemp);
            beforeCommit.check(new StagedModel(modelTemp, dataTemp));
            if (dataTemp != null) {
                copyPermissions(dataPath, dataTemp);
                Files.move(dataTemp, dataPath, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                temps.remove(dataTemp);
            }
            copyPermissions(target, modelTemp);
            Files.move(modelTemp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            temps.remove(modelTemp);
            syncFolder(dir);
            return new WriteResult(target, dataTemp == null ? null : dataPath, modelBytes, dataBytes, externalCount);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        } finally {
            for (Path t : temps) {
                try {
                    Files.deleteIfExists(t);
                } catch (IOException ignored) {
                    // Best effort: the original failure is the one to report.
                }
            }
        }
    }

    /**
     * The size of the model written inline, as a long: {@code getSerializedSize()} is an int and overflows for
     * exactly the models this is asked about. Exact for a model without external tensors that fits in 2 GiB;
     * otherwise an upper bound (a few hundred bytes per tensor over), computed without loading any external data:
     * with protobuf-java 4.x a ByteString over a mapped buffer is a heap copy, so inlining just to measure would
     * load every weight. External tensors count their data when a source is given (they would be inlined) and
     * their proto otherwise.
     */
    static long inlineSize(ModelProto model, TensorDataSource source) {
        long[] data = {0};
        boolean[] external = {false};
        ModelProto skeleton = ModelTensors.map(model, t -> {
            long n;
            if (isExternal(t) && source != null) {
                n = source.externalData(t).remaining(); // a mapping: no bytes are read
                external[0] = true;
            } else if (t.hasRawData()) {
                n = t.getRawData().size();
            } else {
                return t;
            }
            // Tag, worst-case length varint, bytes, and growth of every enclosing length prefix.
            data[0] += 1 + 10 + n + 4L * MAX_ENCLOSING;
            return t.toBuilder().clearRawData().clearExternalData().clearDataLocation().build();
        });
        long bound = skeleton.getSerializedSize() + data[0];
        // Below 2 GiB protobuf's int arithmetic cannot overflow, so its exact answer can be used.
        return bound <= Integer.MAX_VALUE && !external[0] ? model.getSerializedSize() : bound;
    }

    /**
     * The bytes that writing inline would copy onto the heap: the data of tensors that are still mapped (external
     * in the proto). protobuf-java 4.x copies a mapped buffer into a heap ByteString when it becomes raw_data, so
     * AUTO writes external data instead when those copies would take more than half the heap (a 1 GB TorchScript
     * export under -Xmx512m) rather than run out of memory.
     */
    static long heapCopyBytes(ModelProto model, TensorDataSource source) {
        if (source == null) {
            return 0;
        }
        long[] total = {0};
        ModelTensors.map(model, t -> {
            if (isExternal(t)) {
                total[0] += source.externalData(t).remaining();
            }
            return t;
        });
        return total[0];
    }

    static boolean isExternal(TensorProto t) {
        return t.getDataLocation() == TensorProto.DataLocation.EXTERNAL;
    }

    private static TensorProto inline(TensorProto t, TensorDataSource source) {
        ByteBuffer bytes = requireSource(t, source).externalData(t);
        // protobuf-java 4.x copies a direct buffer into a heap ByteString here (it has no NioByteString): inlining
        // costs heap, bounded by the inline limit. Writing externally streams from the mapping instead.
        return t.toBuilder().clearExternalData().clearDataLocation()
                .setRawData(UnsafeByteOperations.unsafeWrap(bytes)).build();
    }

    private static TensorDataSource requireSource(TensorProto t, TensorDataSource source) {
        if (source == null) {
            throw new IllegalStateException("tensor '" + t.getName()
                    + "' has external data but WriteOptions has no source to read it from");
        }
        return source;
    }

    /** Refuses a data file that would replace the input or any file the input's tensors read from. */
    private static void checkDataFileTarget(Path out, Path dataPath, ModelProto model, WriteOptions options) {
        for (Path p : options.protectedPaths()) {
            if (sameFile(dataPath, p)) {
                throw new OutputPathException(out, "its external data file " + dataPath
                        + " would overwrite the input's file " + p);
            }
        }
        // Even if the caller forgot to protect them: streaming a tensor from the file being replaced would corrupt it.
        if (options.source() instanceof ExternalDataResolver resolver) {
            for (TensorProto t : ModelTensors.list(model)) {
                if (isExternal(t)) {
                    Path src = resolver.resolvePath(t);
                    if (sameFile(dataPath, src)) {
                        throw new OutputPathException(out, "its external data file " + dataPath
                                + " would overwrite the input's external data file " + src);
                    }
                }
            }
        }
    }

    private static void checkPlainName(Path out, String name) {
        if (name.isEmpty() || name.equals(".") || name.equals("..") || name.indexOf('/') >= 0
                || name.indexOf('\\') >= 0 || name.indexOf('\0') >= 0) {
            throw new OutputPathException(out, "external data file name " + ErrorLine.quote(name)
                    + " must be a plain file name in the output's folder");
        }
    }

    private static boolean sameFile(Path a, Path b) {
        Path na = a.toAbsolutePath().normalize();
        Path nb = b.toAbsolutePath().normalize();
        if (na.equals(nb)) {
            return true;
        }
        try {
            return Files.exists(na) && Files.exists(nb) && Files.isSameFile(na, nb);
        } catch (IOException e) {
            return false;
        }
    }

    private Path tempFile(Path dir, String name, List<Path> temps) throws IOException {
        // Hidden and in the destination folder, so the final rename is atomic (same file system).
        Path p = temporaries.create(dir, name);
        temps.add(p);
        return p;
    }

    /** createTempFile makes files private (rw-------); give the result the old file's mode, or rw-r--r--. */
    private static void copyPermissions(Path destination, Path temp) {
        try {
            Set<PosixFilePermission> perms = Files.exists(destination, LinkOption.NOFOLLOW_LINKS)
                    ? Files.getPosixFilePermissions(destination, LinkOption.NOFOLLOW_LINKS)
                    : PosixFilePermissions.fromString("rw-r--r--");
            Files.setPosixFilePermissions(temp, perms);
        } catch (UnsupportedOperationException | IOException e) {
            // Not a POSIX file system, or the old mode cannot be read: keep the temporary file's mode.
        }
    }

    private static void syncFolder(Path dir) {
        // Makes the renames durable on Linux; other platforms may refuse to open a folder, which is harmless.
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // Best effort.
        }
    }

    /** Lays tensors out in the data file, each at an aligned offset, and rewrites their protos to point there. */
    private static final class DataFileWriter {
        private final FileChannel channel;
        private final String name;
        private final WriteOptions options;
        private long end;
        int count;

        DataFileWriter(FileChannel channel, String name, WriteOptions options) {
            this.channel = channel;
            this.name = name;
            this.options = options;
        }

        TensorProto place(TensorProto t) {
            boolean ext = isExternal(t);
            if (!ext && !t.hasRawData()) {
                return t; // typed data (float_data, ...) or no data: stays as it is
            }
            if (t.getDataType() == TensorProto.DataType.STRING_VALUE) {
                return ext ? inline(t, options.source()) : t; // strings cannot be external in ONNX
            }
            ByteBuffer mapped = ext ? requireSource(t, options.source()).externalData(t) : null;
            long length = ext ? mapped.remaining() : t.getRawData().size();
            if (length < options.thresholdBytes()) {
                return ext ? t.toBuilder().clearExternalData().clearDataLocation()
                        .setRawData(UnsafeByteOperations.unsafeWrap(mapped)).build() : t;
            }
            long align = options.alignment();
            // An empty tensor is not aligned: an offset past the end of the file would be refused on reading.
            long offset = length == 0 ? end : (end + align - 1) / align * align;
            try {
                // Writing past the end leaves a hole that reads as zeros: the padding costs no I/O.
                channel.position(offset);
                if (ext) {
                    writeFully(mapped.duplicate());
                } else {
                    // Views of the ByteString's storage (the mapped input file, or its array): no copy of the data.
                    for (ByteBuffer b : t.getRawData().asReadOnlyByteBufferList()) {
                        writeFully(b);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            end = offset + length;
            count++;
            return t.toBuilder()
                    .clearRawData()
                    .clearExternalData()
                    .addAllExternalData(new ExternalDataLocation(name, offset, length, null).toEntries())
                    .setDataLocation(TensorProto.DataLocation.EXTERNAL)
                    .build();
        }

        private void writeFully(ByteBuffer b) throws IOException {
            while (b.hasRemaining()) {
                channel.write(b);
            }
        }
    }

}
