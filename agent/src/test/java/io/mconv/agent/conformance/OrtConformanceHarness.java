package io.mconv.agent.conformance;


import io.mconv.agent.model.IrModelFile;
import io.mconv.agent.model.ModelLoader;
import io.mconv.agent.runtime.ComparisonResult;
import io.mconv.agent.runtime.ModelRunner;
import io.mconv.agent.runtime.RuntimeValue;
import io.mconv.agent.runtime.TensorComparison;
import io.mconv.agent.runtime.Tolerance;
import io.mconv.agent.runtime.ort.OrtModelRunner;
import io.mconv.agent.runtime.ort.OrtSessionConfig;
import io.mconv.conformance.ConformanceSuite;
import io.mconv.ir.Tensor;
import io.mconv.ir.Value;
import io.mconv.ir.ValueType;
import io.mconv.ir.serde.TensorProtos;
import io.mconv.onnx.proto.Onnx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The conformance harness: every model of the ONNX backend conformance suite that ONNX Runtime runs in its
 * original form, matching the suite's stored outputs, is read into the IR, transformed, and run again; it must
 * still match. Models ORT cannot run as given (old-opset kernels, training ops, random ops, inputs ORT's Java API
 * cannot feed) are counted by reason.
 */
/** Runs every conformance model ORT can run as given through a transformation and checks the stored outputs. */
final class OrtConformanceHarness {

    /** The suite's own tolerance for stored outputs. */
    private static final Tolerance STORED = Tolerance.of(1e-7, 1e-3);

    /** What a harness run found. */
    record Outcome(int models, int runsOriginal, int transformedOk, List<String> regressions) {
    }

    private OrtConformanceHarness() {
    }

    /**
     * @param transform changes the imported model in place (identity for the round trip, passes for the optimizer)
     * @param transformName how the report names the transformation
     */
    static Outcome run(java.util.function.Consumer<io.mconv.ir.Model> transform, String transformName) throws Exception {
        List<Path> cases = ConformanceSuite.cases();
        Map<String, Integer> notRunnable = new TreeMap<>();
        List<String> regressions = new ArrayList<>();
        int runsOriginal = 0;
        int roundTripOk = 0;
        for (Path dir : cases) {
            String label = ConformanceSuite.label(dir);
            Path data = dir.resolve("test_data_set_0");
            try (IrModelFile file = new ModelLoader().load(dir.resolve("model.onnx"))) {
                List<Value> inputs = file.model().graph().inputs().stream().filter(v -> !v.isInitializer()).toList();
                Map<String, Tensor> feeds = new LinkedHashMap<>();
                String unfeedable = null;
                for (int i = 0; i < inputs.size(); i++) {
                    Value in = inputs.get(i);
                    if (!(in.type() instanceof ValueType.TensorType)) {
                        unfeedable = "non-tensor input (" + kind(in.type()) + ")";
                        break;
                    }
                    Tensor stored = TensorProtos.fromProto(Onnx.TensorProto.parseFrom(
                            Files.readAllBytes(data.resolve("input_" + i + ".pb"))));
                    feeds.put(in.name(), asDeclared(stored, in.elemType()));
                }
                if (unfeedable != null) {
                    notRunnable.merge(unfeedable, 1, Integer::sum);
                    continue;
                }
                List<Value> outputs = file.model().graph().outputs();
                Map<String, Object> expected = new LinkedHashMap<>();
                for (int i = 0; i < outputs.size() && unfeedable == null; i++) {
                    byte[] bytes = Files.readAllBytes(data.resolve("output_" + i + ".pb"));
                    ValueType t = outputs.get(i).type();
                    if (!(t instanceof ValueType.TensorType) && !(t instanceof ValueType.SequenceType)) {
                        unfeedable = "non-tensor output (" + kind(t) + ")";
                        break;
                    }
                    expected.put(outputs.get(i).name(), t instanceof ValueType.SequenceType
                            ? TensorProtos.fromSequence(Onnx.SequenceProto.parseFrom(bytes))
                            : TensorProtos.fromProto(Onnx.TensorProto.parseFrom(bytes)));
                }
                if (unfeedable != null) {
                    notRunnable.merge(unfeedable, 1, Integer::sum);
                    continue;
                }
                String original;
                try (ModelRunner ort = OrtModelRunner.open(dir.resolve("model.onnx"), OrtSessionConfig.forValidation())) {
                    original = check(ort, feeds, expected);
                } catch (RuntimeException e) {
                    original = "ORT fails: " + firstWords(e);
                }
                if (original != null) {
                    notRunnable.merge(original, 1, Integer::sum);
                    continue;
                }
                runsOriginal++;
                String after;
                try {
                    transform.accept(file.model());
                    try (ModelRunner ort = OrtModelRunner.open(file.model(), OrtSessionConfig.forValidation())) {
                        after = check(ort, feeds, expected);
                    }
                } catch (RuntimeException e) {
                    after = "fails after " + transformName + ": " + e;
                }
                if (after == null) {
                    roundTripOk++;
                } else {
                    regressions.add(label + ": " + after);
                }
            }
        }
        System.out.printf("ORT conformance: %d models; %d run in ORT and match their stored outputs as given; "
                + "%d of those still match after %s; %d regressions%n",
                cases.size(), runsOriginal, roundTripOk, transformName, regressions.size());
        System.out.println("Not runnable as given, by reason:");
        notRunnable.forEach((reason, n) -> System.out.printf("  %4d  %s%n", n, reason));
        regressions.forEach(r -> System.out.println("  REGRESSION " + r));
        return new Outcome(cases.size(), runsOriginal, roundTripOk, regressions);
    }

    /** Null when every output matches; else a short reason (used as a category for originals). */
    private static String check(ModelRunner ort, Map<String, Tensor> feeds, Map<String, Object> expected) {
        Map<String, RuntimeValue> got = ort.runValues(feeds, expected.keySet());
        for (Map.Entry<String, Object> e : expected.entrySet()) {
            RuntimeValue actual = got.get(e.getKey());
            if (e.getValue() instanceof Tensor t) {
                if (!(actual instanceof RuntimeValue.TensorValue tv)) {
                    return "output is not a tensor";
                }
                ComparisonResult r = TensorComparison.compare(e.getKey(), t, tv.tensor(), STORED);
                if (!r.passed()) {
                    return "outputs differ from the stored ones";
                }
            } else {
                @SuppressWarnings("unchecked")
                List<Tensor> seq = (List<Tensor>) e.getValue();
                if (!(actual instanceof RuntimeValue.SequenceValue sv) || sv.elements().size() != seq.size()) {
                    return "sequence output differs";
                }
                for (int i = 0; i < seq.size(); i++) {
                    if (!TensorComparison.compare(e.getKey(), seq.get(i), sv.elements().get(i), STORED).passed()) {
                        return "outputs differ from the stored ones";
                    }
                }
            }
        }
        return null;
    }

    /**
     * ONNX 1.12 wrote bfloat16 test data as uint16 bit patterns (numpy has no bfloat16); the bits are the values,
     * so they are read as the bfloat16 the model declares.
     */
    private static Tensor asDeclared(Tensor stored, io.mconv.ir.DataType declared) {
        if (declared == io.mconv.ir.DataType.BFLOAT16 && stored.dataType() == io.mconv.ir.DataType.UINT16) {
            return Tensor.ofRaw(stored.name(), declared, stored.dims(), stored.rawBytes());
        }
        return stored;
    }

    private static String kind(ValueType t) {
        return t == null ? "untyped" : t.getClass().getSimpleName().replace("Type", "").toLowerCase();
    }

    /** ORT's error, cut to its code and first words, so failures group into a readable table. */
    private static String firstWords(RuntimeException e) {
        String m = String.valueOf(e.getMessage());
        int code = m.indexOf("ORT_");
        if (code >= 0) {
            m = m.substring(code);
        }
        m = m.replaceAll("\\s+", " ");
        return e.getClass().getSimpleName() + " " + (m.length() > 90 ? m.substring(0, 90) : m);
    }
}
