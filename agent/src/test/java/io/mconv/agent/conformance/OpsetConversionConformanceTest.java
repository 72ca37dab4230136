package io.mconv.agent.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import io.mconv.ir.DataType;
import io.mconv.ir.GraphVerifier;
import io.mconv.ir.Tensor;
import io.mconv.ir.Value;
import io.mconv.ir.ValueType;
import io.mconv.ir.serde.TensorProtos;
import io.mconv.onnx.proto.Onnx;
import io.mconv.passes.opset.OpsetConversionException;
import io.mconv.passes.opset.OpsetConverter;
import io.mconv.schema.OpSchemaRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Issue 6's acceptance for opset conversion over the conformance suite: every model at opset 12 or below that ORT
 * runs as given (matching its stored outputs) is converted to opset 17 and run again; its outputs must match the
 * original's ORT outputs within 1e-5 relative. Models ORT cannot run as given are excluded and counted; the converter
 * must refuse none of the rest (a refusal is printed with its reason and fails the test). Each converted model is
 * then lowered back to its own opset (7 at least) and must match again, which runs the lowering rewrites on real
 * models. The newer models lowered to 12 may be refused (operators opset 12 lacks), each with its reason printed.
 */
class OpsetConversionConformanceTest {

    private static final int TARGET = 17;
    /** The lowering direction's target: the last opset before the 13 changes (axes inputs, Softmax, Split). */
    private static final int LOWER = 12;
    /** The suite's own tolerance for its stored outputs, to decide whether ORT runs the original as given. */
    private static final Tolerance STORED = Tolerance.of(1e-7, 1e-3);
    /** The acceptance bound: relative only, no absolute slack. */
    private static final Tolerance SAME = Tolerance.of(0, 1e-5);

    @Test
    void everyOldConformanceModelConvertedToOpset17MatchesTheOriginalInOrt() throws Exception {
        OpsetConverter converter = new OpsetConverter(OpSchemaRegistry.standard());
        int old = 0;
        int converted = 0;
        int matched = 0;
        double worstRel = 0;
        Map<String, Integer> excluded = new TreeMap<>();
        Map<String, String> refused = new TreeMap<>();
        List<String> mismatches = new ArrayList<>();
        Map<String, String> backRefused = new TreeMap<>();
        int backMatched = 0;
        for (Path dir : ConformanceSuite.cases()) {
            String label = ConformanceSuite.label(dir);
            try (IrModelFile file = new ModelLoader().load(dir.resolve("model.onnx"))) {
                int opset = file.model().opsetVersion("");
                if (opset < 1 || opset > 12) {
                    continue;
                }
                old++;
                Map<String, Tensor> feeds = feeds(file, dir.resolve("test_data_set_0"));
                if (feeds == null) {
                    excluded.merge("inputs or outputs ORT's Java API cannot feed or compare", 1, Integer::sum);
                    continue;
                }
                List<String> names = file.model().graph().outputs().stream().map(Value::name).toList();
                Map<String, Tensor> original;
                try (ModelRunner ort = OrtModelRunner.open(dir.resolve("model.onnx"),
                        OrtSessionConfig.forValidation())) {
                    original = tensors(ort.runValues(feeds, names));
                } catch (RuntimeException e) {
                    excluded.merge("ORT cannot run the original: " + ortReason(e), 1, Integer::sum);
                    continue;
                }
                if (original == null || !matchesStored(original, dir.resolve("test_data_set_0"), names)) {
                    excluded.merge("ORT's outputs for the original differ from the stored ones", 1, Integer::sum);
                    continue;
                }
                try {
                    converter.convert(file.model(), TARGET);
                } catch (OpsetConversionException e) {
                    refused.put(label, String.join("; ", e.refusals()));
                    continue;
                }
                GraphVerifier.verify(file.model());
                converted++;
                Map<String, Tensor> after;
                try (ModelRunner ort = OrtModelRunner.open(file.model(), OrtSessionConfig.forValidation())) {
                    after = tensors(ort.runValues(feeds, names));
                } catch (RuntimeException e) {
                    mismatches.add(label + ": ORT fails on the converted model: " + e.getMessage());
                    continue;
                }
                String diff = null;
                for (String name : names) {
                    ComparisonResult r = TensorComparison.compare(name, original.get(name), after.get(name), SAME);
                    if (!r.passed()) {
                        diff = r.toString();
                        break;
                    }
                    if (!Double.isNaN(r.maxRelError())) {
                        worstRel = Math.max(worstRel, r.maxRelError());
                    }
                }
                if (diff != null) {
                    mismatches.add(label + ": " + diff);
                    continue;
                }
                matched++;
                // Back down to where it came from: the lowering rewrites on the very nodes raising produced.
                int back = Math.max(opset, OpsetConverter.MIN_TARGET);
                try {
                    converter.convert(file.model(), back);
                } catch (OpsetConversionException e) {
                    backRefused.put(label, String.join("; ", e.refusals()));
                    continue;
                }
                GraphVerifier.verify(file.model());
                try (ModelRunner ort = OrtModelRunner.open(file.model(), OrtSessionConfig.forValidation())) {
                    Map<String, Tensor> again = tensors(ort.runValues(feeds, names));
                    String backDiff = null;
                    for (String name : names) {
                        ComparisonResult r = TensorComparison.compare(name, original.get(name), again.get(name), SAME);
                        backDiff = r.passed() ? backDiff : r.toString();
                    }
                    if (backDiff == null) {
                        backMatched++;
                    } else {
                        mismatches.add(label + " back at " + back + ": " + backDiff);
                    }
                } catch (RuntimeException e) {
                    mismatches.add(label + " back at " + back + ": ORT fails: " + e.getMessage());
                }
            }
        }
        System.out.printf("opset conversion to %d over the conformance suite: %d models at opset <= 12; excluded %d"
                + " (ORT cannot run them as given); converted %d, matched %d within rtol 1e-5 (worst relative error "
                + "%.3g); refused %d%n", TARGET, old, excluded.values().stream().mapToInt(i -> i).sum(), converted,
                matched, worstRel, refused.size());
        System.out.printf("  and back to their own opset (7 at least): %d matched, %d refused%n", backMatched,
                backRefused.size());
        excluded.forEach((reason, n) -> System.out.printf("  excluded %3d  %s%n", n, reason));
        backRefused.forEach((label, reason) -> System.out.println("  refused back " + label + ": " + reason));
        refused.forEach((label, reason) -> System.out.println("  refused " + label + ": " + reason));
        mismatches.forEach(m -> System.out.println("  MISMATCH " + m));
        assertEquals(List.of(), mismatches);
        assertEquals(Map.of(), refused, "every old model ORT runs must convert (issue 6)");
        assertEquals(converted, matched);
        assertEquals(matched, backMatched + backRefused.size());
        assertTrue(converted > 250, "expected most old models to convert, got " + converted);
    }

    @Test
    void everyNewerConformanceModelLoweredToOpset12MatchesTheOriginalOrIsRefusedWithAReason() throws Exception {
        OpsetConverter converter = new OpsetConverter(OpSchemaRegistry.standard());
        int old = 0;
        int converted = 0;
        int matched = 0;
        double worstRel = 0;
        Map<String, Integer> excluded = new TreeMap<>();
        Map<String, String> refused = new TreeMap<>();
        List<String> mismatches = new ArrayList<>();
        Map<String, String> backRefused = new TreeMap<>();
        int backMatched = 0;
        for (Path dir : ConformanceSuite.cases()) {
            String label = ConformanceSuite.label(dir);
            try (IrModelFile file = new ModelLoader().load(dir.resolve("model.onnx"))) {
                int opset = file.model().opsetVersion("");
                if (opset < 13) {
                    continue;
                }
                old++;
                Map<String, Tensor> feeds = feeds(file, dir.resolve("test_data_set_0"));
                if (feeds == null) {
                    excluded.merge("inputs or outputs ORT's Java API cannot feed or compare", 1, Integer::sum);
                    continue;
                }
                List<String> names = file.model().graph().outputs().stream().map(Value::name).toList();
                Map<String, Tensor> original;
                try (ModelRunner ort = OrtModelRunner.open(dir.resolve("model.onnx"),
                        OrtSessionConfig.forValidation())) {
                    original = tensors(ort.runValues(feeds, names));
                } catch (RuntimeException e) {
                    excluded.merge("ORT cannot run the original: " + ortReason(e), 1, Integer::sum);
                    continue;
                }
                if (original == null || !matchesStored(original, dir.resolve("test_data_set_0"), names)) {
                    excluded.merge("ORT's outputs for the original differ from the stored ones", 1, Integer::sum);
                    continue;
                }
                try {
                    converter.convert(file.model(), LOWER);
                } catch (OpsetConversionException e) {
                    refused.put(label, String.join("; ", e.refusals()));
                    continue;
                }
                GraphVerifier.verify(file.model());
                converted++;
                Map<String, Tensor> after;
                try (ModelRunner ort = OrtModelRunner.open(file.model(), OrtSessionConfig.forValidation())) {
                    after = tensors(ort.runValues(feeds, names));
                } catch (RuntimeException e) {
                    mismatches.add(label + ": ORT fails on the converted model: " + e.getMessage());
                    continue;
                }
                String diff = null;
                for (String name : names) {
                    ComparisonResult r = TensorComparison.compare(name, original.get(name), after.get(name), SAME);
                    if (!r.passed()) {
                        diff = r.toString();
                        break;
                    }
                    if (!Double.isNaN(r.maxRelError())) {
                        worstRel = Math.max(worstRel, r.maxRelError());
                    }
                }
                if (diff != null) {
                    mismatches.add(label + ": " + diff);
                    continue;
                }
                matched++;
                // Back up to where it came from: the raising rewrites on the very nodes lowering produced.
                int back = opset;
                try {
                    converter.convert(file.model(), back);
                } catch (OpsetConversionException e) {
                    backRefused.put(label, String.join("; ", e.refusals()));
                    continue;
                }
                GraphVerifier.verify(file.model());
                try (ModelRunner ort = OrtModelRunner.open(file.model(), OrtSessionConfig.forValidation())) {
                    Map<String, Tensor> again = tensors(ort.runValues(feeds, names));
                    String backDiff = null;
                    for (String name : names) {
                        ComparisonResult r = TensorComparison.compare(name, original.get(name), again.get(name), SAME);
                        backDiff = r.passed() ? backDiff : r.toString();
                    }
                    if (backDiff == null) {
                        backMatched++;
                    } else {
                        mismatches.add(label + " back at " + back + ": " + backDiff);
                    }
                } catch (RuntimeException e) {
                    mismatches.add(label + " back at " + back + ": ORT fails: " + e.getMessage());
                }
            }
        }
        System.out.printf("opset conversion to %d over the conformance suite: %d models at opset >= 13; excluded %d"
                + " (ORT cannot run them as given); converted %d, matched %d within rtol 1e-5 (worst relative error "
                + "%.3g); refused %d%n", LOWER, old, excluded.values().stream().mapToInt(i -> i).sum(), converted,
                matched, worstRel, refused.size());
        System.out.printf("  and back up to their own opset: %d matched, %d refused%n", backMatched,
                backRefused.size());
        excluded.forEach((reason, n) -> System.out.printf("  excluded %3d  %s%n", n, reason));
        backRefused.forEach((label, reason) -> System.out.println("  refused back " + label + ": " + reason));
        refused.forEach((label, reason) -> System.out.println("  refused " + label + ": " + reason));
        mismatches.forEach(m -> System.out.println("  MISMATCH " + m));
        assertEquals(List.of(), mismatches);
        assertEquals(converted, matched);
        assertEquals(matched, backMatched + backRefused.size());
        assertTrue(converted > 300, "expected most newer models to lower, got " + converted);
    }

    /** ORT's error code and first words, so exclusions group into a readable table. */
    private static String ortReason(RuntimeException e) {
        String m = String.valueOf(e.getMessage()).replaceAll("\\s+", " ");
        int code = m.indexOf("ORT_");
        m = code >= 0 ? m.substring(code) : m;
        m = m.replaceAll("Node \\([^)]*\\)", "Node").replaceAll("'[^']*'", "''");
        return m.length() > 110 ? m.substring(0, 110) : m;
    }

    /** Null when an input or output is not a plain tensor ORT's Java API can feed and return. */
    private static Map<String, Tensor> feeds(IrModelFile file, Path data) throws Exception {
        List<Value> inputs = file.model().graph().inputs().stream().filter(v -> !v.isInitializer()).toList();
        Map<String, Tensor> feeds = new LinkedHashMap<>();
        for (int i = 0; i < inputs.size(); i++) {
            Value in = inputs.get(i);
            if (!(in.type() instanceof ValueType.TensorType)) {
                return null;
            }
            Tensor stored = TensorProtos.fromProto(Onnx.TensorProto.parseFrom(
                    Files.readAllBytes(data.resolve("input_" + i + ".pb"))));
            if (in.elemType() == DataType.BFLOAT16 && stored.dataType() == DataType.UINT16) {
                stored = Tensor.ofRaw(stored.name(), DataType.BFLOAT16, stored.dims(), stored.rawBytes());
            }
            feeds.put(in.name(), stored);
        }
        for (Value out : file.model().graph().outputs()) {
            if (!(out.type() instanceof ValueType.TensorType)) {
                return null;
            }
        }
        return feeds;
    }

    private static Map<String, Tensor> tensors(Map<String, RuntimeValue> values) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (Map.Entry<String, RuntimeValue> e : values.entrySet()) {
            if (!(e.getValue() instanceof RuntimeValue.TensorValue tv)) {
                return null;
            }
            out.put(e.getKey(), tv.tensor());
        }
        return out;
    }

    private static boolean matchesStored(Map<String, Tensor> got, Path data, List<String> names) throws Exception {
        for (int i = 0; i < names.size(); i++) {
            Tensor stored = TensorProtos.fromProto(Onnx.TensorProto.parseFrom(
                    Files.readAllBytes(data.resolve("output_" + i + ".pb"))));
            if (!TensorComparison.compare(names.get(i), stored, got.get(names.get(i)), STORED).passed()) {
                return false;
            }
        }
        return true;
    }
}
