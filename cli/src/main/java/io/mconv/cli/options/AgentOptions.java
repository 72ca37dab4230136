package io.mconv.cli.options;

import io.mconv.agent.options.ConvertTargets;
import io.mconv.agent.pipeline.Constraints;
import io.mconv.agent.pipeline.ConvertSettings;
import io.mconv.agent.pipeline.QuantizeChoice;
import io.mconv.passes.OptimizationLevel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * The options that turn {@code mconv convert} into the planned chain (optimize, quantize, validate on the targets,
 * profile, constraints, report, cache). Without any of them convert behaves as it always did.
 */
public final class AgentOptions {

    @Option(names = "--optimize", paramLabel = "LEVEL", description = "none, basic (default) or aggressive: the "
            + "optimizer's passes after the export.")
    String optimize;

    @Option(names = "--quantize", paramLabel = "MODE", description = "none (default), int8 (dynamic), int8-static "
            + "(calibrated; see --calibration), int4 (weight-only), fp16, or auto (the quantization "
            + "advisor measures every plan on this CPU and keeps the fastest within --max-accuracy-drop, default "
            + "0.01).")
    String quantize;

    @Option(names = "--calibration", paramLabel = "DIR", description = "Calibration samples for --quantize "
            + "int8-static (.pb or .npy folders; default: seeded random samples).")
    Path calibration;

    @Option(names = "--target", split = ",", paramLabel = "T", description = "Where the result must run: cpu, gpu "
            + "(ONNX Runtime CUDA; validated there when this build has it, else a warning and cpu only), and the pass "
            + "target ort or portable (ort also keeps LayerNormalization when --opset lowers an ONNX model below 17: "
            + "exact in ONNX Runtime, not standard ONNX). Default: cpu.")
    List<String> target = List.of();

    @Option(names = "--max-size", paramLabel = "SIZE", converter = ByteSize.Converter.class,
            description = "Largest acceptable result (50MB, 1.5GiB).")
    Long maxSize;

    @Option(names = "--max-latency", paramLabel = "TIME", converter = TimeSpan.Converter.class,
            description = "Slowest acceptable median ONNX Runtime cpu latency (10ms, 2s).")
    Duration maxLatency;

    @Option(names = "--max-accuracy-drop", paramLabel = "X", description = "Largest acceptable 1 - cosine of any "
            + "output against the source (e.g. 0.01).")
    Double maxAccuracyDrop;

    @Option(names = "--report", paramLabel = "FILE", description = "Also write the JSON report (mconv.convert/1) "
            + "to FILE, even when a constraint is missed.")
    Path report;

    @Option(names = "--dry-run", description = "Print the plan (steps and options) and exit without running it.")
    boolean dryRun;

    @Option(names = "--no-cache", description = "Neither read nor write the step cache.")
    boolean noCache;

    @Option(names = "--cache-dir", paramLabel = "DIR", description = "The step cache (default: $MCONV_CACHE_DIR, "
            + "else $XDG_CACHE_HOME/mconv, else ~/.cache/mconv; bounded by $MCONV_CACHE_SIZE, default 2GiB).")
    Path cacheDir;

    /**
     * Whether any option of the planned chain was given. {@code --cache-dir} alone does not count: it may come from
     * the config file for every run, and only says where the cache is.
     */
    public boolean given() {
        return optimize != null || quantize != null || calibration != null || !target.isEmpty() || maxSize != null
                || maxLatency != null || maxAccuracyDrop != null || report != null || dryRun || noCache;
    }

    public OptimizationLevel optimize(CommandLine cmd) {
        try {
            return optimize == null ? OptimizationLevel.BASIC : OptimizationLevel.parse(optimize);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(cmd, "--optimize: " + e.getMessage());
        }
    }

    public QuantizeChoice quantize(CommandLine cmd) {
        try {
            return quantize == null ? QuantizeChoice.NONE : QuantizeChoice.parse(quantize);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(cmd, e.getMessage());
        }
    }

    public ConvertTargets targets(CommandLine cmd) {
        try {
            return ConvertTargets.parse(target);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(cmd, "--target: " + e.getMessage());
        }
    }

    public Constraints constraints(CommandLine cmd) {
        try {
            return ConvertSettings.checkedConstraints(maxSize, maxLatency, maxAccuracyDrop);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(cmd, "--max-accuracy-drop " + e.getMessage());
        }
    }

    public Path calibration() {
        return calibration;
    }

    public Path report() {
        return report;
    }

    public boolean dryRun() {
        return dryRun;
    }

    public boolean noCache() {
        return noCache;
    }

    public Path cacheDir() {
        return cacheDir;
    }
}
