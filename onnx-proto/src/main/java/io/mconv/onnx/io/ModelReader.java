package io.mconv.onnx.io;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.UnsafeByteOperations;
import io.mconv.limits.Limit;
import io.mconv.limits.Limits;
import io.mconv.onnx.proto.Onnx.ModelProto;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Reads an ONNX model file, refusing anything that is not one with a single-line reason.
 *
 * <p>The file is read once into one heap array and parsed with aliasing on, so every {@code raw_data} of the
 * model is a view of that array, not a second copy: an inline model costs its file size in heap, once.
 *
 * <p>Why not a memory mapping: protobuf-java 4.x removed its direct-buffer decoder and {@code NioByteString};
 * {@code CodedInputStream.newInstance(ByteBuffer)} and {@code UnsafeByteOperations.unsafeWrap(ByteBuffer)} copy a
 * mapped buffer onto the heap, so no {@code ByteString} can be a view of a mapped file. Weights that must stay
 * off the heap belong in external data, which {@link ExternalDataResolver} maps without copying. Because protobuf
 * checks each length field against the bytes that remain before it reads, a hostile length claiming gigabytes
 * is refused without allocating anything; the recursion limit turns deep nesting into an error rather than a
 * {@link StackOverflowError}.
 */
public final class ModelReader {
    /**
     * Default maximum message nesting. Each level of subgraph costs three (graph, node, attribute), so this allows
     * about twenty nested If/Loop bodies, far more than real models use, and keeps the parser's stack shallow.
     */
    public static final int DEFAULT_RECURSION_LIMIT = (int) Limit.PROTOBUF_DEPTH.defaultValue();

    /** Protobuf's own limit: a serialized message is addressed by a signed 32-bit size. */
    static final long MAX_PROTOBUF_BYTES = Integer.MAX_VALUE;

    private final int recursionLimit;

    public ModelReader() {
        this(DEFAULT_RECURSION_LIMIT);
    }

    /** A reader whose recursion limit is {@link Limit#PROTOBUF_DEPTH} of {@code limits}. */
    public ModelReader(Limits limits) {
        this(limits.getInt(Limit.PROTOBUF_DEPTH));
    }

    public ModelReader(int recursionLimit) {
        if (recursionLimit < 1) {
            throw new IllegalArgumentException("recursion limit must be positive");
        }
        this.recursionLimit = recursionLimit;
    }

    /**
     * Reads and parses a model file. External data is not loaded; use {@link LoadedModel#externalData}.
     *
     * @throws InvalidModelException when the file is not a readable ONNX model
     */
    public LoadedModel read(Path file) {
        ReadableFile.require(file, "an ONNX model file");
        byte[] bytes;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            checkSize(file, size);
            bytes = readFully(file, ch, (int) size);
        } catch (AccessDeniedException e) {
            throw new InvalidModelException(file, "permission denied", e);
        } catch (IOException e) {
            throw new InvalidModelException(file, "cannot read file: " + ReadableFile.reason(e), e);
        }
        Path absolute = file.toAbsolutePath();
        // Aliasing over an array marked immutable: every bytes field (raw_data) is a view of this one array.
        ModelProto model = parse(file, UnsafeByteOperations.unsafeWrap(bytes).newCodedInput());
        return new LoadedModel(model, file, absolute.getParent());
    }

    private static byte[] readFully(Path file, FileChannel ch, int size) throws IOException {
        byte[] bytes;
        try {
            bytes = new byte[size];
        } catch (OutOfMemoryError e) {
            // A failed allocation leaves the heap as it was, so this is safe to report rather than die on.
            throw new InvalidModelException(file, "file is " + size + " bytes, more than the Java heap can hold;"
                    + " write large weights as external data or raise -Xmx", null);
        }
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        while (buf.hasRemaining()) {
            if (ch.read(buf) < 0) {
                throw new InvalidModelException(file, "file changed while it was being read (shorter than its size)");
            }
        }
        return bytes;

    }

    /**
     * Parses a model held in memory. It has no folder, so any tensor with external data fails when read.
     *
     * @throws InvalidModelException with a null file when the bytes are not an ONNX model
     */
    public LoadedModel read(byte[] bytes) {
        return read(bytes, null);
    }

    /**
     * Parses a model held in memory whose external data lives in {@code baseDir} (may be null). The byte strings
     * of the result alias {@code bytes}: the caller must not modify the array afterwards.
     */
    public LoadedModel read(byte[] bytes, Path baseDir) {
        checkSize(null, bytes.length);
        ModelProto model = parse(null, UnsafeByteOperations.unsafeWrap(bytes).newCodedInput());
        return new LoadedModel(model, null, baseDir == null ? null : baseDir.toAbsolutePath());
    }

    private static void checkSize(Path file, long size) {
        if (size == 0) {
            throw new InvalidModelException(file, "empty file (0 bytes), not an ONNX model");
        }
        if (size > MAX_PROTOBUF_BYTES) {
            throw new InvalidModelException(file, "file is " + size
                    + " bytes; protobuf files cannot exceed 2 GiB; weights over that must be external data");
        }
    }

    private ModelProto parse(Path file, CodedInputStream in) {
        in.enableAliasing(true);
        in.setRecursionLimit(recursionLimit);
        in.setSizeLimit(Integer.MAX_VALUE);
        ModelProto model;
        try {
            model = ModelProto.parser().parseFrom(in);
        } catch (InvalidProtocolBufferException e) {
            throw new InvalidModelException(file, "not a valid ONNX protobuf: " + protobufReason(e, recursionLimit), e);
        } catch (StackOverflowError e) {
            // Should not happen with the recursion limit, but a deep structure must never crash the caller.
            throw new InvalidModelException(file, "not a valid ONNX protobuf: nesting too deep", e);
        } catch (InternalError e) {
            // A mapped file truncated by someone else while we parse surfaces as an InternalError (SIGBUS).
            throw new InvalidModelException(file, "file changed while it was being read", e);
        } catch (RuntimeException e) {
            throw new InvalidModelException(file, "not a valid ONNX protobuf: " + e, e);
        }
        if (!model.hasGraph()) {
            throw new InvalidModelException(file, "parsed as protobuf but has no graph; not an ONNX model");
        }
        return model;
    }

    /** Short, stable wording for protobuf's long error messages. */
    static String protobufReason(InvalidProtocolBufferException e, int recursionLimit) {
        String m = String.valueOf(e.getMessage());
        if (m.contains("input ended unexpectedly")) {
            return "truncated: the input ends in the middle of a field, or a length field claims more bytes than remain";
        }
        if (m.contains("malformed varint")) {
            return "malformed varint";
        }
        if (m.contains("too many levels of nesting") || m.contains("recursion")) {
            return "nesting deeper than " + recursionLimit + " message levels: "
                    + Limit.PROTOBUF_DEPTH.exceeded(recursionLimit);
        }
        if (m.contains("invalid tag")) {
            return "invalid field tag";
        }
        if (m.contains("invalid wire type")) {
            return "invalid wire type";
        }
        if (m.contains("negative size")) {
            return "a length field is negative";
        }
        if (m.contains("end-group tag did not match")) {
            return "mismatched group end tag";
        }
        if (m.contains("UTF-8")) {
            return "a string field is not valid UTF-8";
        }
        int dot = m.indexOf(". ");
        return dot > 0 ? m.substring(0, dot) : m;
    }
}
