package io.mconv.ir.serde;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.mconv.ir.GraphVerifier;
import io.mconv.ir.InvalidGraphException;
import io.mconv.ir.Model;
import io.mconv.onnx.io.InvalidModelException;
import io.mconv.onnx.io.LoadedModel;
import io.mconv.onnx.io.ModelReader;
import io.mconv.onnx.proto.Onnx;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzzes the path every command takes to get a model: bytes, {@link ModelReader}, {@link ProtoImporter}, and the
 * {@link GraphVerifier} (issue 8; BAD_INPUTS 1 to 6 and 9). The contract: {@link InvalidModelException} from the
 * reader or {@link InvalidGraphException} from the importer, each with a message; or an IR that the verifier finds
 * sound and that exports to a model which imports again with the same node count. Anything else is a finding.
 */
class ProtoImporterFuzzTest {

    @FuzzTest(maxDuration = "60s")
    @Timeout(10)
    void importModel(byte[] data) {
        Model model;
        try (LoadedModel loaded = new ModelReader().read(data)) {
            model = ProtoImporter.importModel(loaded.model(), ExternalTensorResolver.NONE);
        } catch (InvalidModelException | InvalidGraphException e) {
            assertNotNull(e.getMessage(), "refusal without a message");
            assertFalse(e.getMessage().isBlank(), "refusal with a blank message");
            return;
        }
        // What the importer accepts, the verifier must find sound: passes rely on it.
        assertEquals(java.util.List.of(), GraphVerifier.check(model));
        Onnx.ModelProto exported = ProtoExporter.exportModel(model);
        Model again = ProtoImporter.importModel(exported, ExternalTensorResolver.NONE);
        assertEquals(model.graph().nodes().size(), again.graph().nodes().size(), "export changed the node count");
        assertEquals(model.graph().inputs().size(), again.graph().inputs().size(), "export changed the inputs");
    }
}
