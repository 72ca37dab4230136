package io.mconv.agent.pipeline;

import io.mconv.agent.options.ConvertTargets;
import io.mconv.agent.options.InputShapeSpec;
import io.mconv.agent.runtime.Tolerance;
import io.mconv.ir.Shape;
import io.mconv.onnx.io.ExternalDataPolicy;
import io.mconv.passes.OptimizationLevel;
import io.mconv.torch.export.ExportOptions;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The options of one planned conversion before a source is named: what {@code mconv convert}'s flags and a
 * workflow step's keys both parse into, so that both front ends build their {@link ConvertRequest}s one way.
 *
 * @param opset       {@code --opset}, or null: the export default for TorchScript, the source's opset for ONNX
 * @param tolerance   a fixed tolerance, or null for the per-precision presets
 * @param constraints the user's limits ({@link #checkedConstraints} validates them)
 */
public record ConvertSettings(Integer opset, List<InputShapeSpec> inputShapes,
                              Map<String, Map<Integer, String>> dynamicAxes, OptimizationLevel optimize,
                              QuantizeChoice quantize, Path calibration, ConvertTargets targets, boolean validate,
                              Tolerance tolerance, Constraints constraints, ExternalDataPolicy externalData,
                              long thresholdBytes, String version) {

    /**
     * Timed runs per model of the profile step: enough for a stable median on small and mid-size models while
     * keeping resnet50 (two models, ~60 ms a run on two cores) near ten seconds.
     */
    public static final int PROFILE_ITERATIONS = 50;

    public ConvertSettings {
        inputShapes = List.copyOf(inputShapes);
        dynamicAxes = Map.copyOf(dynamicAxes);
    }

    /** The request for one source; TorchScript or ONNX is decided from the file (see {@link #isTorchSource}). */
    public ConvertRequest requestFor(Path source, Path output) throws IOException {
        boolean torch = isTorchSource(source);
        Map<String, Shape> shapes = new LinkedHashMap<>();
        inputShapes.forEach(s -> shapes.put(s.name(), s.shape()));
        return new ConvertRequest(source, output, torch, opset == null ? ExportOptions.DEFAULT_OPSET : opset,
                torch ? null : opset, inputShapes.stream().map(InputShapeSpec::exportInput).toList(), dynamicAxes,
                shapes, optimize, quantize, calibration, targets.passTarget(), targets.providers(), validate,
                tolerance, constraints, externalData, thresholdBytes, PROFILE_ITERATIONS, version);
    }

    /**
     * The constraints, refusing the values no result could be judged by.
     *
     * @throws IllegalArgumentException for an accuracy drop outside [0, 1)
     */
    public static Constraints checkedConstraints(Long maxBytes, java.time.Duration maxLatency, Double maxDrop) {
        if (maxDrop != null && !(maxDrop >= 0 && maxDrop < 1)) {
            throw new IllegalArgumentException("must be in [0, 1), got " + maxDrop);
        }
        return new Constraints(maxBytes, maxLatency, maxDrop);
    }

    /** Where a conversion writes when no output is given: {@code m.pt → m.onnx}, {@code m.onnx → m.mconv.onnx}. */
    public static Path defaultOutput(Path source) {
        String name = source.getFileName().toString();
        String lower = name.toLowerCase(Locale.ROOT);
        if (lower.endsWith(".pt")) {
            return source.resolveSibling(name.substring(0, name.length() - 3) + ".onnx");
        }
        String stem = lower.endsWith(".onnx") ? name.substring(0, name.length() - 5) : name;
        return source.resolveSibling(stem + ".mconv.onnx");
    }

    /** A zip (TorchScript, or a torch.save file) or a file named like one. */
    public static boolean isTorchSource(Path source) throws IOException {
        String name = source.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".pt") || name.endsWith(".pth") || name.endsWith(".ptl")) {
            return true;
        }
        if (!Files.isRegularFile(source)) {
            return false;
        }
        try (InputStream in = Files.newInputStream(source)) {
            byte[] magic = in.readNBytes(4);
            return magic.length == 4 && magic[0] == 'P' && magic[1] == 'K' && magic[2] == 3 && magic[3] == 4;
        }
    }
}
