package io.mconv.agent.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mconv.agent.runtime.ComparisonResult;
import io.mconv.agent.runtime.ModelRunner;
import io.mconv.agent.runtime.TensorComparison;
import io.mconv.agent.runtime.Tolerance;
import io.mconv.agent.runtime.ort.OrtModelRunner;
import io.mconv.agent.runtime.ort.OrtSessionConfig;
import io.mconv.ir.Tensor;
import io.mconv.ir.Value;
import io.mconv.ir.serde.ProtoExporter;
import io.mconv.ir.serde.TensorProtos;
import io.mconv.ir.testing.Fixtures;
import io.mconv.onnx.io.ExternalDataPolicy;
import io.mconv.onnx.io.OutputPathException;
import io.mconv.onnx.io.WriteOptions;
import io.mconv.onnx.io.WriteResult;
import io.mconv.onnx.proto.Onnx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model whose weights are external data (written by python-onnx, testdata/make_models.sh) is read by mapping,
 * written back inline and external through the IR, and each version gives ORT the same outputs bit for bit.
 */
class ExternalDataRoundTripTest {

    @TempDir
    Path dir;

    private static Map<String, Tensor> run(Path model, Map<String, Tensor> feeds) {
        try (ModelRunner ort = OrtModelRunner.open(model, OrtSessionConfig.forValidation())) {
            return ort.run(feeds);
        }
    }

    @Test
    void externalWeightsRoundTripInlineAndExternalAndRunIdentically() throws Exception {
        Path source = Fixtures.generated("external_small.onnx");
        Tensor input = TensorProtos.fromProto(Onnx.TensorProto.parseFrom(
                Files.readAllBytes(Fixtures.generated("external_small.input.pb"))));
        Tensor stored = TensorProtos.fromProto(Onnx.TensorProto.parseFrom(
                Files.readAllBytes(Fixtures.generated("external_small.output.pb"))));
        Map<String, Tensor> feeds = Map.of("input", input);
        Tensor original = run(source, feeds).get("output");
        assertTrue(TensorComparison.compare("output", stored, original, Tolerance.FP32).passed());

        try (IrModelFile file = new ModelLoader().load(source)) {
            int weights = file.model().graph().initializers().size();
            for (Value w : file.model().graph().initializers().values()) {
                assertTrue(w.constValue().rawBytes().isDirect(), w.name() + " is mapped, not on the heap");
            }
            assertEquals(weights, ProtoExporter.exportForWriting(file.model()).buffers().size(),
                    "every mapped weight is referenced by the export, none copied");

            Path inline = dir.resolve("inline.onnx");
            WriteResult in = new ModelSaver().save(file.model(), inline,
                    WriteOptions.defaults().withPolicy(ExternalDataPolicy.NEVER).withProtectedPaths(file.inputFiles()));
            assertEquals(0, in.externalTensors());
            assertFalse(Files.exists(dir.resolve("inline.onnx.data")));

            Path external = dir.resolve("external.onnx");
            WriteResult ex = new ModelSaver().save(file.model(), external, WriteOptions.defaults()
                    .withPolicy(ExternalDataPolicy.ALWAYS).withThresholdBytes(0).withProtectedPaths(file.inputFiles()));
            assertEquals(weights, ex.externalTensors());
            assertTrue(Files.size(external) < 4096, "weights are in the data file, not the model");

            for (Path written : new Path[] {inline, external}) {
                ComparisonResult same = TensorComparison.compare("output", original, run(written, feeds).get("output"),
                        Tolerance.EXACT);
                assertTrue(same.passed(), written + ": " + same.reason());
            }
            try (IrModelFile back = new ModelLoader().load(external)) {
                for (Value w : back.model().graph().initializers().values()) {
                    assertTrue(w.constValue().contentEquals(
                            file.model().graph().initializers().get(w.name()).constValue()), w.name());
                }
            }
            OutputPathException clobber = assertThrows(OutputPathException.class, () -> new ModelSaver().save(
                    file.model(), source, WriteOptions.defaults().withProtectedPaths(file.inputFiles())));
            assertTrue(clobber.getMessage().contains(source.toString()), clobber.getMessage());
            assertTrue(Files.exists(source.resolveSibling("external_small.onnx.data")));
        }
    }
}
