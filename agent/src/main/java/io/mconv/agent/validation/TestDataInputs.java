package io.mconv.agent.validation;

import io.mconv.limits.Limit;
import io.mconv.limits.Limits;

import io.mconv.ir.Dim;
import io.mconv.ir.Shape;
import io.mconv.ir.Tensor;
import io.mconv.ir.ValueType;
import io.mconv.ir.serde.TensorProtos;
import io.mconv.onnx.io.InvalidModelException;
import io.mconv.onnx.proto.Onnx;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Feeds from a folder in the ONNX test-data layout: {@code input_0.pb}, {@code input_1.pb}, ... one serialized
 * TensorProto per model input, in the model's input order (what the ONNX backend tests and onnx's
 * {@code numpy_helper.from_array} + {@code save_tensor} write). Each is checked against the input it feeds; a
 * missing, unreadable or mismatching file is an {@link InvalidModelException} naming that file.
 */
public final class TestDataInputs {

    /** TensorProto files larger than this would not fit a Java array, whatever the limit says. */
    private static final long MAX_ARRAY_BYTES = Integer.MAX_VALUE - 16;

    private TestDataInputs() {
    }

    public static Map<String, Tensor> read(Path dir, Map<String, ValueType> inputs) {
        return read(dir, inputs, Limits.defaults());
    }

    /** As {@link #read(Path, Map)}, each file bounded by {@link Limit#TEST_INPUT_SIZE}. */
    public static Map<String, Tensor> read(Path dir, Map<String, ValueType> inputs, Limits limits) {
        long maxFileBytes = Math.min(MAX_ARRAY_BYTES, limits.get(Limit.TEST_INPUT_SIZE));
        if (!Files.isDirectory(dir)) {
            throw new InvalidModelException(dir, Files.exists(dir) ? "is not a folder (--inputs takes a folder of "
                    + "input_N.pb files)" : "no such folder");
        }
        Map<String, Tensor> feeds = new LinkedHashMap<>();
        int i = 0;
        for (Map.Entry<String, ValueType> input : inputs.entrySet()) {
            Path file = dir.resolve("input_" + i + ".pb");
            Tensor t = readTensor(file, input.getKey(), inputs.size(), maxFileBytes);
            check(file, input.getKey(), input.getValue(), t);
            feeds.put(input.getKey(), t.withName(input.getKey()));
            i++;
        }
        return feeds;
    }

    private static Tensor readTensor(Path file, String inputName, int inputCount, long maxFileBytes) {
        if (!Files.isRegularFile(file)) {
            throw new InvalidModelException(file, (Files.exists(file) ? "is not a regular file" : "no such file")
                    + "; --inputs expects input_0.pb to input_" + (inputCount - 1) + ".pb, one TensorProto per "
                    + "model input in order (this one feeds '" + inputName + "')");
        }
        try {
            long size = Files.size(file);
            if (size > maxFileBytes) {
                throw new InvalidModelException(file, "is " + size + " bytes: "
                        + Limit.TEST_INPUT_SIZE.exceeded(maxFileBytes)
                        + (maxFileBytes == MAX_ARRAY_BYTES ? " (at most 2 GiB: one Java array)" : ""));
            }
            Onnx.TensorProto proto = Onnx.TensorProto.parseFrom(Files.readAllBytes(file));
            return TensorProtos.fromProto(proto);
        } catch (InvalidModelException e) {
            throw e;
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new InvalidModelException(file, "is not a serialized TensorProto: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new InvalidModelException(file, "cannot read file: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            // The codec's refusals (a data length that does not match the dims, an unknown data type, external data).
            throw new InvalidModelException(file, "is not a valid tensor: " + e.getMessage(), e);
        }
    }

    private static void check(Path file, String name, ValueType declared, Tensor t) {
        if (!(declared instanceof ValueType.TensorType tt)) {
            throw new InvalidModelException(file, "feeds input '" + name + "', which is " + declared
                    + ", not a tensor");
        }
        if (tt.elemType() != null && tt.elemType() != t.dataType()) {
            throw new InvalidModelException(file, "holds " + t.dataType() + " but input '" + name + "' is "
                    + tt.elemType());
        }
        Shape shape = tt.shape();
        if (shape == null) {
            return;
        }
        boolean fits = shape.rank() == t.rank();
        for (int d = 0; fits && d < shape.rank(); d++) {
            Dim dim = shape.dim(d);
            fits = !dim.isKnown() || dim.value() == t.dims()[d];
        }
        if (!fits) {
            throw new InvalidModelException(file, "has shape " + Arrays.toString(t.dims()) + " but input '" + name
                    + "' is " + shape);
        }
    }
}
