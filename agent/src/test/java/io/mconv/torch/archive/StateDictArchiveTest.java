package io.mconv.torch.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.mconv.onnx.io.InvalidModelException;
import io.mconv.torch.testing.TorchFixtures;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Reading the tensors of a torch.save(state_dict) zip, and refusing what is not one. */
class StateDictArchiveTest {

    @Test
    void tensorsByNameMatchWhatTorchPrinted() {
        JsonNode facts = TorchFixtures.facts("state_dict.json").get("tensors");
        Map<String, TorchTensor> tensors = StateDictArchive.open(TorchFixtures.file("state_dict.pt"));
        List<String> expected = new ArrayList<>();
        facts.fieldNames().forEachRemaining(expected::add);
        assertEquals(expected.stream().sorted().toList(), tensors.keySet().stream().sorted().toList());
        assertEquals("conv1.weight", tensors.keySet().iterator().next(), "file order: module order");
        facts.fields().forEachRemaining(e -> TorchScriptArchiveTest.checkTensor(e.getKey(),
                tensors.get(e.getKey()), e.getValue()));
    }

    @Test
    void whatIsNotAStateDictIsRefused() {
        NotTorchScriptException module = assertThrows(NotTorchScriptException.class,
                () -> StateDictArchive.open(TorchFixtures.file("pickled_module.pt")));
        assertEquals(NotTorchScriptException.Kind.PICKLED_MODULE, module.kind());
        InvalidModelException script = assertThrows(InvalidModelException.class,
                () -> StateDictArchive.open(TorchFixtures.file("traced_cnn.pt")));
        assertTrue(script.getMessage().endsWith("a TorchScript archive, not a state_dict; convert it directly"));
        InvalidModelException legacy = assertThrows(InvalidModelException.class,
                () -> StateDictArchive.open(TorchFixtures.file("legacy.pt")));
        assertTrue(legacy.getMessage().contains("legacy (non-zip) torch.save file"), legacy.getMessage());
    }
}
