package io.mconv.agent.profile;

import io.mconv.limits.Limit;
import io.mconv.limits.Limits;
import io.mconv.onnx.io.InvalidModelException;

import io.mconv.agent.InvalidOptionException;
import io.mconv.ir.InvalidGraphException;
import io.mconv.ir.Tensor;
import io.mconv.ir.ValueType;
import io.mconv.ir.serde.TensorProtos;
import io.mconv.onnx.proto.Onnx;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Feeds read from a folder of serialized {@code TensorProto}s named {@code input_0.pb}, {@code input_1.pb}, ...
 * (the layout of ONNX's test data sets and of onnx_test_runner): file N feeds the model's N-th input. A tensor
 * whose own name is an input of the model feeds that input instead, so files saved by name also work.
 */
public final class InputDirectory {

    private final Path dir;
    /** Limit.PROFILE_INPUT_SIZE: larger files are refused before reading, because feeds are held in memory. */
    private final long maxFileBytes;

    public InputDirectory(Path dir) {
        this(dir, Limits.defaults());
    }

    public InputDirectory(Path dir, Limits limits) {
        this.dir = dir;
        this.maxFileBytes = limits.get(Limit.PROFILE_INPUT_SIZE);
    }

    /** @throws InvalidOptionException when the folder, a file or the number of files does not fit the model */
    public Map<String, Tensor> read(Map<String, ValueType> inputs) {
        if (!Files.isDirectory(dir)) {
            throw new InvalidOptionException("--inputs " + dir + ": not a folder");
        }
        List<String> names = new ArrayList<>(inputs.keySet());
        Map<String, Tensor> feeds = new LinkedHashMap<>();
        for (int i = 0; i < names.size(); i++) {
            Path file = dir.resolve("input_" + i + ".pb");
            if (!Files.isRegularFile(file)) {
                throw new InvalidOptionException("--inputs " + dir + ": " + file.getFileName() + " is missing; the "
                        + "model has " + names.size() + " inputs " + names + ", one file input_N.pb each");
            }
            Tensor t = readTensor(file);
            String target = t.name() != null && inputs.containsKey(t.name()) ? t.name() : names.get(i);
            if (feeds.containsKey(target)) {
                throw new InvalidOptionException("--inputs " + dir + ": two files feed input '" + target + "'");
            }
            feeds.put(target, t);
        }
        return feeds;
    }

    private Tensor readTensor(Path file) {
        try {
            long size = Files.size(file);
            if (size > maxFileBytes) {
                // A limit, not a usage mistake: exit 3 like every other limit, naming the file.
                throw new InvalidModelException(file, "is " + size + " bytes: "
                        + Limit.PROFILE_INPUT_SIZE.exceeded(maxFileBytes));
            }
            return TensorProtos.fromProto(Onnx.TensorProto.parseFrom(Files.readAllBytes(file)));
        } catch (IOException | InvalidGraphException e) {
            throw new InvalidOptionException("--inputs: " + file + " is not a readable TensorProto: "
                    + e.getMessage());
        }
    }
}
