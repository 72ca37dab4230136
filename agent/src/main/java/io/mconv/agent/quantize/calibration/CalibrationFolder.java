package io.mconv.agent.quantize.calibration;

import io.mconv.agent.validation.TestDataInputs;
import io.mconv.ir.Tensor;
import io.mconv.ir.ValueType;
import io.mconv.limits.Limits;
import io.mconv.onnx.io.InvalidModelException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Reads calibration samples from a folder. Accepted layouts, checked in this order:
 * <ol>
 *   <li>one subfolder per sample (like ONNX's {@code test_data_set_0}, {@code test_data_set_1}...), each holding
 *       {@code input_N.pb} TensorProtos, or {@code input_N.npy} / {@code <input name>.npy} arrays, one per model
 *       input in order;</li>
 *   <li>the same files directly in the folder: one sample;</li>
 *   <li>for a model with one input: every {@code .npy} file in the folder is one sample.</li>
 * </ol>
 * Each tensor must have the input's dtype and rank. Problems are {@link InvalidModelException} naming the file.
 */
public final class CalibrationFolder {

    private final NpyReader npy = new NpyReader();
    private final Limits limits;

    /** Reads input_N.pb files under the default test-input-size limit. */
    public CalibrationFolder() {
        this(Limits.defaults());
    }

    /** Reads input_N.pb files under {@code limits} (test-input-size, as validate --inputs does). */
    public CalibrationFolder(Limits limits) {
        this.limits = limits;
    }

    public CalibrationSamples read(Path dir, Map<String, ValueType> inputs) {
        if (!Files.isDirectory(dir)) {
            throw new InvalidModelException(dir, Files.exists(dir) ? "is not a folder (calibration data is a folder "
                    + "of samples)" : "no such folder");
        }
        List<Path> subfolders = list(dir, Files::isDirectory);
        List<Map<String, Tensor>> samples = new ArrayList<>();
        if (!subfolders.isEmpty()) {
            for (Path sub : subfolders) {
                samples.add(sample(sub, inputs));
            }
        } else if (hasSampleFiles(dir, inputs)) {
            samples.add(sample(dir, inputs));
        } else if (inputs.size() == 1) {
            String name = inputs.keySet().iterator().next();
            for (Path f : list(dir, p -> p.getFileName().toString().endsWith(".npy"))) {
                Tensor t = npy.read(f, name);
                check(f, name, inputs.get(name), t);
                samples.add(Map.of(name, t));
            }
        }
        if (samples.isEmpty()) {
            throw new InvalidModelException(dir, "holds no calibration samples: expected subfolders with input_N.pb "
                    + "or input_N.npy files, or (for a one-input model) .npy files");
        }
        return new CalibrationSamples(samples, "folder " + dir + " (" + samples.size() + " samples)", List.of());
    }

    private static boolean hasSampleFiles(Path dir, Map<String, ValueType> inputs) {
        return Files.exists(dir.resolve("input_0.pb")) || Files.exists(dir.resolve("input_0.npy"))
                || (!inputs.isEmpty() && Files.exists(dir.resolve(inputs.keySet().iterator().next() + ".npy")));
    }

    private Map<String, Tensor> sample(Path dir, Map<String, ValueType> inputs) {
        if (Files.exists(dir.resolve("input_0.pb"))) {
            return TestDataInputs.read(dir, inputs, limits);
        }
        Map<String, Tensor> feeds = new LinkedHashMap<>();
        int i = 0;
        for (Map.Entry<String, ValueType> in : inputs.entrySet()) {
            Path byIndex = dir.resolve("input_" + i + ".npy");
            Path byName = dir.resolve(in.getKey() + ".npy");
            Path f = Files.exists(byIndex) ? byIndex : byName;
            if (!Files.isRegularFile(f)) {
                throw new InvalidModelException(dir, "has no " + byIndex.getFileName() + " or " + byName.getFileName()
                        + " for input '" + in.getKey() + "'");
            }
            Tensor t = npy.read(f, in.getKey());
            check(f, in.getKey(), in.getValue(), t);
            feeds.put(in.getKey(), t);
            i++;
        }
        return feeds;
    }

    private static void check(Path file, String name, ValueType declared, Tensor t) {
        if (declared instanceof ValueType.TensorType tt) {
            if (tt.elemType() != null && tt.elemType() != t.dataType()) {
                throw new InvalidModelException(file, "holds " + t.dataType() + " but input '" + name + "' is "
                        + tt.elemType());
            }
            if (tt.shape() != null && tt.shape().rank() != t.rank()) {
                throw new InvalidModelException(file, "has rank " + t.rank() + " but input '" + name + "' has rank "
                        + tt.shape().rank());
            }
        }
    }

    private static List<Path> list(Path dir, java.util.function.Predicate<Path> filter) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(filter).sorted().toList();
        } catch (IOException e) {
            throw new InvalidModelException(dir, "cannot list folder: " + e.getMessage(), e);
        }
    }
}
