package io.mconv.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mconv.ir.GraphVerifier;
import io.mconv.ir.Model;
import io.mconv.ir.serde.ExternalTensorResolver;
import io.mconv.ir.serde.ProtoExporter;
import io.mconv.ir.serde.ProtoImporter;
import io.mconv.onnx.proto.Onnx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every conformance model imports into the IR, passes the verifier, exports, and the export is semantically the
 * original (same nodes, attributes, initializers and interface) and stable (a second round trip changes no byte).
 * Whether the exported models still run and match their stored outputs in ONNX Runtime is checked in the agent
 * module, where the ORT wrapper lives.
 */
class IrRoundTripConformanceTest {

    @Test
    void everyConformanceModelRoundTripsThroughTheIr() throws Exception {
        List<Path> cases = ConformanceSuite.cases();
        List<String> failures = new ArrayList<>();
        int ok = 0;
        for (Path dir : cases) {
            String label = ConformanceSuite.label(dir);
            try {
                Onnx.ModelProto original = Onnx.ModelProto.parseFrom(Files.readAllBytes(dir.resolve("model.onnx")));
                Model ir = ProtoImporter.importModel(original, ExternalTensorResolver.NONE);
                List<String> problems = GraphVerifier.check(ir);
                if (!problems.isEmpty()) {
                    failures.add(label + ": verifier: " + problems);
                    continue;
                }
                Onnx.ModelProto first = ProtoExporter.exportModel(ir);
                String diff = SemanticDiff.diff(original, first);
                if (diff != null) {
                    failures.add(label + ": " + diff);
                    continue;
                }
                byte[] once = first.toByteArray();
                byte[] twice = ProtoExporter.exportModel(ProtoImporter.importModel(Onnx.ModelProto.parseFrom(once),
                        ExternalTensorResolver.NONE)).toByteArray();
                if (!Arrays.equals(once, twice)) {
                    failures.add(label + ": a second round trip changed the bytes");
                    continue;
                }
                ok++;
            } catch (Exception e) {
                failures.add(label + ": " + e);
            }
        }
        System.out.printf("IR round trip: %d of %d conformance models semantically identical and stable%n",
                ok, cases.size());
        failures.forEach(f -> System.out.println("  FAIL " + f));
        assertTrue(cases.size() > 1000, "expected the whole suite (about 1,070 models), found " + cases.size());
        assertEquals(List.of(), failures);
    }
}
