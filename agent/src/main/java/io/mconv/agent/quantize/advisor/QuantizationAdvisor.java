package io.mconv.agent.quantize.advisor;

import io.mconv.limits.Limits;

import io.mconv.agent.model.IrModelFile;
import io.mconv.agent.model.ModelLoader;
import io.mconv.agent.model.ModelSaver;
import io.mconv.agent.quantize.calibration.CalibrationFolder;
import io.mconv.agent.quantize.calibration.CalibrationSamples;
import io.mconv.agent.quantize.calibration.GaussianCalibrationInputs;
import io.mconv.ir.Model;
import io.mconv.ir.Node;
import io.mconv.ir.Value;
import io.mconv.ir.ValueType;
import io.mconv.onnx.io.WriteOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * {@code mconv quantize --advise}: measures before it recommends. It profiles the model (op mix, share of MACs and of
 * weight bytes in quantizable ops) and the CPU (VNNI, AVX-512, AVX2, ARM dot product), scans per-layer sensitivity
 * (one layer quantized at a time), measures each candidate plan of {@link PlanMenu} (size, ORT CPU latency, accuracy
 * against the float model) and recommends with {@link PlanJudge}. When no int8 plan meets the accuracy limit and the
 * scan found sensitive layers, it also measures the most accurate dynamic int8 plan with those layers kept in float.
 * Nothing is written next to the model: plans live in a temporary folder removed at the end.
 */
public final class QuantizationAdvisor {

    /** Evaluation inputs use another seed than calibration (as StaticQuantizer does): same distribution, new data. */
    private static final long EVALUATION_SEED_OFFSET = 7919;

    private final CpuFeatures cpu;
    private final ModelLoader loader;
    private final Limits limits;

    public QuantizationAdvisor() {
        this(Limits.defaults());
    }

    /** Reads the model under {@code limits}. */
    public QuantizationAdvisor(Limits limits) {
        this(CpuFeatures.detect(), limits);
    }

    /** With given CPU features (tests; a conversion agent planning for another machine's flags). */
    public QuantizationAdvisor(CpuFeatures cpu) {
        this(cpu, Limits.defaults());
    }

    public QuantizationAdvisor(CpuFeatures cpu, Limits limits) {
        this.cpu = cpu;
        this.loader = new ModelLoader(limits);
        this.limits = limits;
    }

    public Advice advise(Path model, AdvisorOptions options) throws IOException {
        Path workDir = Files.createTempDirectory("mconv-advise");
        try {
            return advise(model, options, workDir);
        } finally {
            deleteRecursively(workDir);
        }
    }

    private Advice advise(Path model, AdvisorOptions options, Path workDir) throws IOException {
        List<String> warnings = new ArrayList<>();
        Path source;
        long sourceBytes;
        ModelProfile profile;
        Map<String, ValueType> inputs;
        try (IrModelFile file = loader.load(model)) {
            Model m = file.model();
            source = nameEveryNode(m) ? saveNamedCopy(m, workDir) : model;
            sourceBytes = source == model ? sizeOf(file.inputFiles()) : sizeOf(List.of(source));
            inputs = feedableInputs(m);
            warnings.addAll(symbolicWarnings(inputs, options));
            profile = new ModelAnalyzer().profile(m, options.inputShapes());
        }
        CalibrationSamples samples = options.calibrationDir() != null
                ? new CalibrationFolder(limits).read(options.calibrationDir(), inputs)
                : new GaussianCalibrationInputs(options.seed() + EVALUATION_SEED_OFFSET)
                .generate(inputs, options.inputShapes(), options.evaluationSamples());
        if (options.calibrationDir() == null) {
            warnings.add(GaussianCalibrationInputs.WARNING);
        }
        EvaluationSet evaluation = EvaluationSet.of(source, samples.samples(), samples.source());
        PlanMenu menu = new PlanMenu(cpu, options, limits);
        SensitivityReport sensitivity = new SensitivityScan(menu.sensitivityConfig(), evaluation,
                options.sensitivityLayers(), limits).scan(source, profile);
        Fp32Plan fp32 = new Fp32Plan(sourceBytes, profile.opMix());
        PlanEvaluator evaluator = new PlanEvaluator(evaluation, options.threads(), options.latencyRounds());
        List<MeasuredPlan> measured = new ArrayList<>(evaluator.evaluate(source, fp32, menu.candidates(fp32),
                workDir));
        PlanJudge judge = new PlanJudge(options.maxAccuracyDrop(), cpu);
        PlanCandidate guarded = sensitiveLayersExcluded(measured, sensitivity, judge, options.maxAccuracyDrop());
        if (guarded != null) {
            measured.add(measureAlone(evaluator, source, fp32, guarded, measured.get(0), workDir));
        }
        return new Advice(model, cpu, profile, sensitivity, judge.judge(measured), options.maxAccuracyDrop(),
                options.threads(), options.latencyRounds(), samples.source(), warnings);
    }

    /**
     * The most accurate measured dynamic int8 plan with the sensitive layers kept in float, when no int8 plan meets
     * the limit; null otherwise. Sensitive: a single-layer drop above half the limit (two such layers together
     * would already spend it), at least the worst layer, at most half of the scanned layers.
     */
    static PlanCandidate sensitiveLayersExcluded(List<MeasuredPlan> measured, SensitivityReport sensitivity,
                                                 PlanJudge judge, double maxDrop) {
        boolean int8Meets = measured.stream().anyMatch(p -> p.candidate().kind().int8() && judge.meets(p));
        MeasuredPlan base = measured.stream()
                .filter(p -> p.candidate().kind() == PlanKind.DYNAMIC_INT8 && p.measured() && p.rewrites() > 0)
                .min(Comparator.comparingDouble(p -> p.accuracy().drop())).orElse(null);
        if (int8Meets || base == null || sensitivity.layers().isEmpty()) {
            return null;
        }
        Set<String> keep = new LinkedHashSet<>();
        int most = Math.max(1, sensitivity.layers().size() / 2);
        for (LayerSensitivity l : sensitivity.layers()) {
            if (keep.size() < most && (keep.isEmpty() || l.drop() > maxDrop / 2)) {
                keep.add(l.node());
            }
        }
        return base.candidate().excluding(keep, "keep" + keep.size());
    }

    /**
     * Measures one late plan beside the float model and rebases its latency onto the first round's float median
     * (its ratio is from its own round), so that latencies across both rounds compare.
     */
    private static MeasuredPlan measureAlone(PlanEvaluator evaluator, Path source, Fp32Plan fp32,
                                             PlanCandidate plan, MeasuredPlan firstFp32, Path workDir) {
        MeasuredPlan p = evaluator.evaluate(source, fp32, List.of(fp32, plan), workDir).get(1);
        if (!p.measured()) {
            return p;
        }
        return new MeasuredPlan(p.candidate(), p.bytes(), p.sizeRatio(), p.latencyRatio() * firstFp32.latencyMs(),
                p.latencyRatio(), p.accuracy(), p.rewrites(), p.opCounts(), p.notes(), null);
    }

    /**
     * Gives every unnamed node, and every node whose name another node also has, a unique name, so exclusions by
     * name pick exactly one node. Returns whether anything was renamed.
     */
    static boolean nameEveryNode(Model model) {
        Set<String> seen = new HashSet<>();
        boolean renamed = false;
        int index = 0;
        for (Node n : model.graph()) {
            String name = n.name();
            if (name == null || name.isEmpty() || !seen.add(name)) {
                String fresh;
                do {
                    fresh = n.opType() + "_advisor_" + index++;
                } while (seen.contains(fresh));
                n.setName(fresh);
                seen.add(fresh);
                renamed = true;
            }
        }
        return renamed;
    }

    private static Path saveNamedCopy(Model model, Path workDir) throws IOException {
        Path copy = workDir.resolve("named-source.onnx");
        new ModelSaver().save(model, copy, WriteOptions.defaults());
        return copy;
    }

    private static Map<String, ValueType> feedableInputs(Model model) {
        Map<String, ValueType> inputs = new LinkedHashMap<>();
        for (Value in : model.graph().inputs()) {
            if (!in.isInitializer()) {
                inputs.put(in.name(), in.type());
            }
        }
        return inputs;
    }

    private static List<String> symbolicWarnings(Map<String, ValueType> inputs, AdvisorOptions options) {
        List<String> out = new ArrayList<>();
        inputs.forEach((name, type) -> {
            if (options.inputShapes().containsKey(name) || !(type instanceof ValueType.TensorType t)
                    || t.shape() == null) {
                return;
            }
            if (t.shape().dims().stream().anyMatch(d -> !d.isKnown())) {
                out.add("input '" + name + "' " + t.shape() + " has dimensions of unknown size, measured as 1; "
                        + "give --input-shape " + name + ":DIMS for the sizes you run");
            }
        });
        return out;
    }

    private static long sizeOf(Iterable<Path> files) throws IOException {
        long total = 0;
        for (Path p : files) {
            total += Files.size(p);
        }
        return total;
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            // a leftover temporary folder is not worth failing an advice that was measured
        }
    }
}
