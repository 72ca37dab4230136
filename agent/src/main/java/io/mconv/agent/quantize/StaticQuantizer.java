package io.mconv.agent.quantize;

import io.mconv.agent.model.IrModelFile;
import io.mconv.agent.model.ModelLoader;
import io.mconv.agent.model.ModelSaver;
import io.mconv.agent.optimize.OpsetRaise;
import io.mconv.agent.quantize.calibration.CalibrationFolder;
import io.mconv.agent.quantize.calibration.CalibrationSamples;
import io.mconv.agent.quantize.calibration.GaussianCalibrationInputs;
import io.mconv.agent.quantize.calibration.RangeCollector;
import io.mconv.agent.runtime.ort.OrtModelRunner;
import io.mconv.agent.runtime.ort.OrtSessionConfig;
import io.mconv.ir.GraphVerifier;
import io.mconv.ir.Model;
import io.mconv.ir.Node;
import io.mconv.ir.Value;
import io.mconv.ir.ValueType;
import io.mconv.onnx.io.WriteOptions;
import io.mconv.onnx.io.WriteResult;
import io.mconv.passes.OptimizationLevel;
import io.mconv.passes.PassContext;
import io.mconv.passes.PassResult;
import io.mconv.passes.fold.ConstantToInitializer;
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
import java.util.TreeMap;

/**
 * Static int8 quantization of a model file: prepare (Constant nodes to initializers, opset raised to 13 when lower,
 * types inferred), calibrate activation ranges on samples run in ORT, insert QDQ (and convert to QOperator when
 * asked), write, then measure the result against the float model: size, output agreement and ORT CPU latency with
 * ORT's graph optimizations on (so its QDQ fusions form the integer kernels, as in deployment).
 */
public final class StaticQuantizer {

    /** Evaluation inputs use another seed than calibration, so the figures are not measured on the fitted data. */
    private static final long EVALUATION_SEED_OFFSET = 7919;

    public StaticQuantizeResult quantize(Path source, Path out, StaticQuantizeOptions options) throws IOException {
        try (IrModelFile file = new ModelLoader().load(source)) {
            Model model = file.model();
            List<String> warnings = new ArrayList<>();
            prepare(model, options);
            Map<String, ValueType> inputs = feedableInputs(model);
            CalibrationSamples samples = options.calibrationDir() != null
                    ? new CalibrationFolder().read(options.calibrationDir(), inputs)
                    : new GaussianCalibrationInputs(options.seed()).generate(inputs, options.inputShapes(),
                    options.randomSamples());
            warnings.addAll(samples.warnings());
            CalibrationTable table = new RangeCollector().collect(model, samples,
                    options.method().calibrator(options.percentile(), options.symmetricActivations()));
            PassContext ctx = PassContext.of(OptimizationLevel.AGGRESSIVE, options.target());
            PassResult qdq = new InsertStaticQdq(table, options.passConfig()).run(model, ctx);
            warnings.addAll(qdq.diagnostics());
            if (options.format() == StaticQuantizeOptions.QuantFormat.QOPERATOR) {
                warnings.addAll(new QdqToQOperator().run(model, ctx).diagnostics());
            }
            GraphVerifier.verify(model);
            WriteResult written = new ModelSaver().save(model, out,
                    WriteOptions.defaults().withProtectedPaths(file.inputFiles()));
            long floatBytes = sizeOf(file.inputFiles());
            long quantBytes = written.modelBytes() + written.dataBytes();
            List<Map<String, io.mconv.ir.Tensor>> evaluation = options.calibrationDir() != null ? samples.samples()
                    : new GaussianCalibrationInputs(options.seed() + EVALUATION_SEED_OFFSET)
                    .generate(inputs, options.inputShapes(), options.evaluationSamples()).samples();
            OrtSessionConfig deployed = OrtSessionConfig.defaults();
            try (OrtModelRunner fp32 = OrtModelRunner.open(source, OrtSessionConfig.forValidation());
                 OrtModelRunner fp32Fast = OrtModelRunner.open(source, deployed);
                 OrtModelRunner int8 = OrtModelRunner.open(written.modelFile(), deployed)) {
                List<OutputAgreement> agreement = AgreementMeter.measure(fp32, int8, evaluation);
                double[] latency = options.latencyRuns() == 0 ? new double[] {Double.NaN, Double.NaN}
                        : LatencyMeter.medians(fp32Fast, int8, evaluation.get(0), options.latencyRuns());
                return new StaticQuantizeResult(written.modelFile(), floatBytes, quantBytes, samples.source(),
                        table.size(), qdq.rewrites(), opCounts(model), agreement, latency[0], latency[1], warnings);
            }
        }
    }

    /**
     * Makes the model quantizable: initializers that are also graph inputs (as IR &lt; 4 files list every weight)
     * become plain constants, since quantizing a weight freezes it anyway; Constant nodes become initializers;
     * opset raised to 13 (IR version 7) when lower; element types of intermediates inferred.
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
            new OpsetRaise(OpSchemaRegistry.standard()).raise(model, InsertStaticQdq.MIN_OPSET);
        }
        ShapeInference.infer(model, options.inputShapes());
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

    private static long sizeOf(Iterable<Path> files) throws IOException {
        long total = 0;
        for (Path p : files) {
            total += Files.size(p);
        }
        return total;
    }

    private static Map<String, Integer> opCounts(Model model) {
        Map<String, Integer> counts = new TreeMap<>();
        for (Node n : model.graph()) {
            counts.merge(n.opType(), 1, Integer::sum);
        }
        return counts;
    }
}
