package io.mconv.agent.quantize;

import io.mconv.agent.model.IrModelFile;
import io.mconv.agent.model.ModelLoader;
import io.mconv.agent.model.ModelSaver;
import io.mconv.agent.quantize.calibration.CalibrationFolder;
import io.mconv.agent.quantize.calibration.CalibrationSamples;
import io.mconv.agent.quantize.calibration.GaussianCalibrationInputs;
import io.mconv.agent.quantize.calibration.RangeCollector;
import io.mconv.agent.runtime.Tolerance;
import io.mconv.agent.runtime.ort.OrtModelRunner;
import io.mconv.ir.GraphVerifier;
import io.mconv.ir.Model;
import io.mconv.ir.Tensor;
import io.mconv.ir.Value;
import io.mconv.ir.ValueType;
import io.mconv.limits.Limits;
import io.mconv.onnx.io.WriteOptions;
import io.mconv.onnx.io.WriteResult;
import io.mconv.passes.OptimizationLevel;
import io.mconv.passes.Pass;
import io.mconv.passes.PassContext;
import io.mconv.passes.PassManager;
import io.mconv.passes.PassReport;
import io.mconv.passes.fold.ConstantToInitializer;
import io.mconv.passes.opset.OpsetConverter;
import io.mconv.passes.quantize.calibrated.CalibrationTable;
import io.mconv.passes.quantize.calibrated.InsertStaticQdq;
import io.mconv.passes.quantize.calibrated.QdqToQOperator;
import io.mconv.schema.OpSchemaRegistry;
import io.mconv.shape.ShapeInference;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Static int8 quantization: prepare (Constant nodes to initializers, opset converted to 13 when lower, types
 * inferred), calibrate activation ranges on samples run in ORT, insert QDQ (and convert to QOperator when asked).
 * {@link #apply} does this to a model in memory ({@link Quantizer#quantizeStatic} measures and gates it before
 * writing); {@link #quantize} writes the result and then measures it without a gate, for callers that judge the
 * figures themselves (the advisor).
 */
public final class StaticQuantizer {

    /** Evaluation inputs use another seed than calibration, so the figures are not measured on the fitted data. */
    private static final long EVALUATION_SEED_OFFSET = 7919;

    private final Limits limits;

    public StaticQuantizer() {
        this(Limits.defaults());
    }

    /** Reads the model and the calibration folder under {@code limits}. */
    public StaticQuantizer(Limits limits) {
        this.limits = limits;
    }

    /**
     * What {@link #apply} did.
     *
     * @param passes            the QDQ pass (and the QOperator conversion) as one report
     * @param calibration       the samples ranges were calibrated on
     * @param evaluation        inputs to measure the result on: the calibration folder's samples when there is one
     *                          (real data is what the user has), otherwise seeded N(0,1) inputs of another seed
     * @param calibratedTensors tensors that got a calibrated range
     * @param warnings          random calibration data, nodes left in float
     */
    public record Applied(PassReport passes, CalibrationSamples calibration, List<Map<String, Tensor>> evaluation,
                          int calibratedTensors, List<String> warnings) {

        public Applied {
            evaluation = List.copyOf(evaluation);
            warnings = List.copyOf(warnings);
        }

        /** Nodes the QDQ pass quantized (activations folded into a producer count too). */
        public int quantizedNodes() {
            return passes.passes().get(0).rewrites();
        }
    }

    /** Quantizes {@code model} in place. */
    public Applied apply(Model model, StaticQuantizeOptions options) {
        List<String> warnings = new ArrayList<>();
        prepare(model, options);
        Map<String, ValueType> inputs = feedableInputs(model);
        CalibrationSamples samples = options.calibrationDir() != null
                ? new CalibrationFolder(limits).read(options.calibrationDir(), inputs)
                : new GaussianCalibrationInputs(options.seed()).generate(inputs, options.inputShapes(),
                options.randomSamples());
        warnings.addAll(samples.warnings());
        CalibrationTable table = new RangeCollector().collect(model, samples,
                options.method().calibrator(options.percentile(), options.symmetricActivations()));
        List<Pass> passes = new ArrayList<>(List.of(new InsertStaticQdq(table, options.passConfig())));
        if (options.format() == StaticQuantizeOptions.QuantFormat.QOPERATOR) {
            passes.add(new QdqToQOperator());
        }
        // one round: both passes leave an already quantized model alone, a second round would only cost time
        PassReport report = new PassManager(passes, 1).run(model,
                PassContext.of(OptimizationLevel.AGGRESSIVE, options.target()));
        warnings.addAll(report.diagnostics());
        GraphVerifier.verify(model);
        List<Map<String, Tensor>> evaluation = options.calibrationDir() != null ? samples.samples()
                : new GaussianCalibrationInputs(options.seed() + EVALUATION_SEED_OFFSET)
                .generate(inputs, options.inputShapes(), options.evaluationSamples()).samples();
        return new Applied(report, samples, evaluation, table.size(), warnings);
    }

    /** Quantizes, writes, then measures the written model against the float one; no accuracy gate. */
    public StaticQuantizeResult quantize(Path source, Path out, StaticQuantizeOptions options) throws IOException {
        try (IrModelFile file = new ModelLoader(limits).load(source)) {
            Model model = file.model();
            Applied applied = apply(model, options);
            WriteResult written = new ModelSaver().save(model, out,
                    WriteOptions.defaults().withProtectedPaths(file.inputFiles()));
            long floatBytes = sizeOf(file.inputFiles());
            long quantBytes = written.modelBytes() + written.dataBytes();
            try (FloatReference fp32 = FloatReference.open(source);
                 OrtModelRunner int8 = FloatReference.openCandidate(written.modelFile())) {
                QualityReport quality = fp32.quality(int8, applied.evaluation(), 0, Tolerance.INT8);
                LatencyComparison latency = options.latencyRuns() == 0 ? null
                        : fp32.latency(int8, applied.evaluation().get(0), options.latencyRuns());
                return new StaticQuantizeResult(written.modelFile(), floatBytes, quantBytes,
                        applied.calibration().source(), applied.calibratedTensors(), applied.quantizedNodes(),
                        applied.passes().opsAfter(), quality.outputs(),
                        latency == null ? Double.NaN : latency.floatMillis(),
                        latency == null ? Double.NaN : latency.quantizedMillis(), applied.warnings());
            }
        }
    }

    /**
     * Makes the model quantizable: initializers that are also graph inputs (as IR &lt; 4 files list every weight)
     * become plain constants, since quantizing a weight freezes it anyway; Constant nodes become initializers;
     * opset converted to 13 (IR version 7) when lower, by the opset converter, which also rewrites operators whose
     * definition changed (an opset-6 Gemm's broadcast attribute); element types of intermediates inferred.
     *
     * @throws IllegalArgumentException when the opset cannot be converted
     */
    static void prepare(Model model, StaticQuantizeOptions options) {
        for (Value in : new ArrayList<>(model.graph().inputs())) {
            if (in.isInitializer()) {
                model.graph().removeInput(in);
            }
        }
        if (model.irVersion() == null || model.irVersion() < 7) {
            model.setIrVersion(7L);
        }
        PassContext ctx = PassContext.of(OptimizationLevel.BASIC, options.target());
        new ConstantToInitializer().run(model, ctx);
        if (model.opsetVersion("") < InsertStaticQdq.MIN_OPSET) {
            new OpsetConverter(OpSchemaRegistry.standard()).convert(model, InsertStaticQdq.MIN_OPSET);
        }
        ShapeInference.infer(model, options.inputShapes());
    }

    /** The graph inputs a caller feeds (initializers listed as inputs excluded). */
    static Map<String, ValueType> feedableInputs(Model model) {
        Map<String, ValueType> inputs = new LinkedHashMap<>();
        for (Value in : model.graph().inputs()) {
            if (!in.isInitializer()) {
                inputs.put(in.name(), in.type());
            }
        }
        return inputs;
    }

    static long sizeOf(Iterable<Path> files) throws IOException {
        long total = 0;
        for (Path p : files) {
            total += Files.size(p);
        }
        return total;
    }
}
