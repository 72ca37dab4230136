package io.mconv.agent.pipeline.workflow;

import io.mconv.agent.options.ByteSize;
import io.mconv.agent.options.ConvertTargets;
import io.mconv.agent.options.DynamicAxes;
import io.mconv.agent.options.InputShapeSpec;
import io.mconv.agent.options.TimeSpan;
import io.mconv.agent.pipeline.Constraints;
import io.mconv.agent.pipeline.ConvertSettings;
import io.mconv.agent.pipeline.QuantizeChoice;
import io.mconv.agent.runtime.Tolerance;
import io.mconv.onnx.io.ExternalDataPolicy;
import io.mconv.passes.OptimizationLevel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * A step's keys → the {@link WorkflowStep} {@code mconv convert} would run for the same long options. Keys are the
 * options' names in snake_case ({@code --max-accuracy-drop} → {@code max_accuracy_drop}); values go through the
 * parsers the command line uses, so both accept and refuse the same spellings.
 */
final class StepParser {

    /** Keys that may appear in {@code defaults} as well as in a step. */
    static final Set<String> SHARED_KEYS = Set.of("to", "opset", "input_shape", "dynamic_axes", "optimize",
            "quantize", "calibration", "target", "max_size", "max_latency", "max_accuracy_drop", "validate", "atol",
            "rtol", "external_data", "external_data_threshold");

    /** Keys that name one step's own files, and so only make sense in a step. */
    static final Set<String> STEP_ONLY_KEYS = Set.of("source", "output", "report");

    private static final long DEFAULT_EXTERNAL_DATA_THRESHOLD = 1_000L;

    private final String version;

    StepParser(String version) {
        this.version = version;
    }

    WorkflowStep parse(int index, StepKeys keys) {
        String to = keys.text("to");
        if (to != null && !to.equalsIgnoreCase("onnx")) {
            throw keys.invalid("to", "'" + to + "' is not supported (accepted: onnx)");
        }
        Path source = keys.path("source");
        if (source == null) {
            throw keys.invalid("source", "the step has no 'source' (the model to convert)");
        }
        Path output = keys.has("output") ? keys.path("output") : ConvertSettings.defaultOutput(source);
        ConvertSettings settings = new ConvertSettings(opset(keys),
                keys.texts("input_shape").stream().map(v -> keys.parsed("input_shape", v, InputShapeSpec::parse))
                        .toList(),
                keys.parsed("dynamic_axes", null, unused -> DynamicAxes.parse(keys.texts("dynamic_axes"))),
                keys.has("optimize") ? keys.parsed("optimize", keys.text("optimize"), OptimizationLevel::parse)
                        : OptimizationLevel.BASIC,
                keys.has("quantize") ? keys.parsed("quantize", keys.text("quantize"), QuantizeChoice::parse)
                        : QuantizeChoice.NONE,
                keys.path("calibration"),
                keys.parsed("target", null, unused -> ConvertTargets.parse(targets(keys))),
                keys.bool("validate", true), tolerance(keys), constraints(keys),
                keys.bool("external_data", false) ? ExternalDataPolicy.ALWAYS : ExternalDataPolicy.AUTO,
                keys.has("external_data_threshold") ? keys.parsed("external_data_threshold",
                        keys.textOrNumber("external_data_threshold"), ByteSize::parse)
                        : DEFAULT_EXTERNAL_DATA_THRESHOLD,
                version);
        try {
            return new WorkflowStep(index, settings.requestFor(source, output), keys.path("report"));
        } catch (IOException e) {
            // only a source that exists but cannot be read gets here; the step's run reports it as convert does
            throw new UncheckedIOException(e);
        }
    }

    private static Integer opset(StepKeys keys) {
        Integer opset = keys.integer("opset");
        if (opset != null && opset < 1) {
            throw keys.invalid("opset", "must be 1 or more, got " + opset);
        }
        return opset;
    }

    /** {@code "cpu,gpu"} as on the command line, or {@code ["cpu", "gpu"]}. */
    private static List<String> targets(StepKeys keys) {
        return keys.texts("target").stream().flatMap(t -> List.of(t.split(",")).stream()).toList();
    }

    private static Tolerance tolerance(StepKeys keys) {
        Double atol = keys.number("atol");
        Double rtol = keys.number("rtol");
        for (String k : List.of("atol", "rtol")) {
            Double v = keys.number(k);
            if (v != null && !(v >= 0)) {
                throw keys.invalid(k, "must be 0 or more, got " + v);
            }
        }
        if (atol == null && rtol == null) {
            return null;
        }
        return Tolerance.of(atol == null ? Tolerance.FP32.atol() : atol, rtol == null ? Tolerance.FP32.rtol() : rtol);
    }

    private static Constraints constraints(StepKeys keys) {
        Long maxSize = keys.has("max_size") ? keys.parsed("max_size", keys.textOrNumber("max_size"), ByteSize::parse)
                : null;
        Duration maxLatency = keys.has("max_latency")
                ? keys.parsed("max_latency", keys.text("max_latency"), TimeSpan::parse) : null;
        Double maxDrop = keys.number("max_accuracy_drop");
        return keys.parsed("max_accuracy_drop", null,
                unused -> ConvertSettings.checkedConstraints(maxSize, maxLatency, maxDrop));
    }
}
