package io.mconv.torch.archive;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.mconv.ir.Tensor;
import io.mconv.onnx.io.InvalidModelException;
import io.mconv.torch.testing.TorchFixtures;
import io.mconv.torch.testing.ZipBuilder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opening real TorchScript files written by torch 1.13 ({@code testdata/torch/}, see make_torch_fixtures.py): the
 * module tree, every tensor against the numbers the script printed, constants, code files; and the torch 2.x layout
 * made by rewriting a 1.13 archive.
 */
class TorchScriptArchiveTest {

    @TempDir
    Path dir;

    /** Follows a dotted attribute path from the root ({@code bn1.running_mean}). */
    private static Object at(ScriptObject root, String dotted) {
        Object v = root;
        for (String part : dotted.split("\\.")) {
            ScriptObject o = assertInstanceOf(ScriptObject.class, v, "parent of " + part + " in " + dotted);
            assertTrue(o.hasAttribute(part), o.className() + " has no attribute " + part);
            v = o.attribute(part);
        }
        return v;
    }

    private static long[] longs(JsonNode array) {
        long[] out = new long[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asLong();
        }
        return out;
    }

    /** Checks every tensor the facts list: dtype, sizes, strides, offset, flag, first values, mapped storage. */
    private static int checkTensors(ScriptObject root, JsonNode tensors) {
        int n = 0;
        for (Iterator<Map.Entry<String, JsonNode>> it = tensors.fields(); it.hasNext(); n++) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode f = e.getValue();
            checkTensor(e.getKey(), assertInstanceOf(TorchTensor.class, at(root, e.getKey()), e.getKey()), f);
        }
        return n;
    }

    static void checkTensor(String name, TorchTensor t, JsonNode f) {
        assertEquals(f.get("dtype").asText().toUpperCase(), t.dtype().name(), name);
        assertArrayEquals(longs(f.get("sizes")), t.sizes(), name);
        assertArrayEquals(longs(f.get("strides")), t.strides(), name);
        assertEquals(f.get("storage_offset").asLong(), t.storageOffset(), name);
        assertEquals(f.get("requires_grad").asBoolean(), t.requiresGrad(), name);
        Tensor ir = t.toIrTensor(name);
        assertTrue(ir.rawBytes().isDirect(), name + " views the mapped file, not a heap copy");
        JsonNode first = f.get("first");
        if (t.dtype() == TorchDType.INT64) {
            long[] values = ir.toLongArray();
            for (int i = 0; i < first.size(); i++) {
                assertEquals(first.get(i).asLong(), values[i], name + "[" + i + "]");
            }
        } else {
            float[] values = ir.toFloatArray();
            for (int i = 0; i < first.size(); i++) {
                assertEquals((float) first.get(i).asDouble(), values[i], name + "[" + i + "]");
            }
        }
    }

    private static List<String> relative(JsonNode entries, String prefix) {
        List<String> out = new ArrayList<>();
        entries.forEach(e -> out.add(e.asText().substring(prefix.length() + 1)));
        return out;
    }

    @Test
    void tracedCnnMatchesWhatTorchPrinted() {
        JsonNode facts = TorchFixtures.facts("traced_cnn.json");
        try (TorchScriptArchive a = TorchScriptArchive.open(TorchFixtures.file("traced_cnn.pt"))) {
            assertEquals("traced_cnn", a.prefix());
            assertEquals(3, a.formatVersion(), "torch 1.13 writes format version 3");
            assertEquals(relative(facts.get("entries"), "traced_cnn"), a.entryNames());
            assertEquals(facts.get("root_class").asText(), a.root().className());
            facts.get("submodules").fields().forEachRemaining(e -> assertEquals(e.getValue().asText(),
                    ((ScriptObject) at(a.root(), e.getKey())).className(), e.getKey()));
            assertEquals(10, checkTensors(a.root(), facts.get("tensors")));
            assertEquals(Boolean.FALSE, a.root().attribute("training"), "saved in eval mode");

            assertEquals(facts.get("constants_count").asInt(), a.constants().size());
            checkTensor("CONSTANTS.c0", assertInstanceOf(TorchTensor.class, a.constants().get(0)),
                    facts.get("constants").get(0));
        }
    }

    @Test
    void codeFilesByLongestModulePrefix() {
        JsonNode facts = TorchFixtures.facts("traced_cnn.json");
        try (TorchScriptArchive a = TorchScriptArchive.open(TorchFixtures.file("traced_cnn.pt"))) {
            var mangled = a.codeFileFor("__torch__.torch.nn.modules.conv.___torch_mangle_0.Conv2d").orElseThrow();
            assertEquals("code/__torch__/torch/nn/modules/conv/___torch_mangle_0.py", mangled.entryName());
            assertEquals("__torch__.torch.nn.modules.conv.___torch_mangle_0", mangled.modulePath());
            assertTrue(mangled.source().contains("class Conv2d(Module):"), mangled.source());

            var conv = a.codeFileFor("__torch__.torch.nn.modules.conv.Conv2d").orElseThrow();
            assertEquals("code/__torch__/torch/nn/modules/conv.py", conv.entryName());
            var root = a.codeFileFor(a.root().className()).orElseThrow();
            assertEquals("code/__torch__.py", root.entryName());
            assertEquals("__torch__", root.modulePath());
            assertTrue(root.source().contains("class TinyCnn(Module):"));
            assertTrue(root.source().contains("CONSTANTS.c0"), "the traced constant is used by the code");

            assertTrue(a.codeFileFor("torch.nn.functional.relu").isEmpty(), "no code file outside __torch__");
            int files = 0;
            for (JsonNode n : facts.get("code_files")) {
                String module = n.asText().substring("code/".length(), n.asText().length() - 3).replace('/', '.');
                assertEquals(n.asText(), a.codeFileFor(module + ".X").orElseThrow().entryName());
                files++;
            }
            assertEquals(6, files);
        }
    }

    @Test
    void scriptedModuleAttributesOfEveryKind() {
        JsonNode facts = TorchFixtures.facts("scripted_attrs.json");
        try (TorchScriptArchive a = TorchScriptArchive.open(TorchFixtures.file("scripted_attrs.pt"))) {
            ScriptObject root = a.root();
            assertEquals(facts.get("root_class").asText(), root.className());
            JsonNode attrs = facts.get("attributes");
            assertEquals(List.of(1L, 2L, 3L), root.attribute("sizes"));
            assertEquals(List.of(0.5, 1.5), root.attribute("ratios"));
            Map<Object, Object> table = new LinkedHashMap<>();
            table.put("a", 1.5);
            table.put("b", -2.0);
            assertEquals(table, root.attribute("table"));
            assertEquals(attrs.get("count").asLong(), root.attribute("count"));
            assertEquals(attrs.get("eps").asDouble(), root.attribute("eps"));
            assertEquals(attrs.get("label").asText(), root.attribute("label"));
            assertEquals(Boolean.TRUE, root.attribute("enabled"));
            assertEquals(attrs.get("head.scale").asDouble(), at(root, "head.scale"));
            assertEquals(facts.get("submodules").get("head.proj").asText(),
                    ((ScriptObject) at(root, "head.proj")).className());
            assertEquals(3, checkTensors(root, facts.get("tensors")));
            assertArrayEquals(new long[] {0, 1, 2, 3, 4, 5},
                    ((TorchTensor) root.attribute("steps")).toIrTensor("steps").toLongArray());
            assertEquals(0, a.constants().size());
        }
    }

    /** torch 2.x: {@code .data/version} instead of {@code version}, {@code byteorder}, a serialization id. */
    private Path torch2Shaped(String byteOrder) {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        TorchFixtures.entries("traced_cnn.pt").forEach((name, data) -> {
            if (!name.equals("traced_cnn/version")) {
                entries.put("archive/" + name.substring("traced_cnn/".length()), data);
            }
        });
        entries.put("archive/byteorder", byteOrder.getBytes(StandardCharsets.US_ASCII));
        entries.put("archive/.data/version", "10\n".getBytes(StandardCharsets.US_ASCII));
        entries.put("archive/.data/serialization_id", "1234567890123456789012345678901234567890"
                .getBytes(StandardCharsets.US_ASCII));
        return TorchFixtures.rewrite(entries, dir.resolve("torch2.pt"));
    }

    @Test
    void torch2LayoutUnderAnyFolderName() {
        JsonNode facts = TorchFixtures.facts("traced_cnn.json");
        try (TorchScriptArchive a = TorchScriptArchive.open(torch2Shaped("little"))) {
            assertEquals("archive", a.prefix());
            assertEquals(10, a.formatVersion());
            assertTrue(a.entryNames().containsAll(List.of("byteorder", ".data/version", ".data/serialization_id")));
            assertFalse(a.entryNames().contains("version"));
            assertEquals(facts.get("root_class").asText(), a.root().className());
            assertEquals(10, checkTensors(a.root(), facts.get("tensors")));
            assertEquals(1, a.constants().size());
        }
    }

    @Test
    void bigEndianArchivesAreRefused() {
        Path file = torch2Shaped("big");
        InvalidModelException e = assertThrows(InvalidModelException.class, () -> TorchScriptArchive.open(file));
        assertEquals(file + ": the archive was written on a big-endian machine (byteorder 'big'); only "
                + "little-endian archives are supported", e.getMessage());
    }

    @Test
    void zip64ArchivesOpen() throws Exception {
        ZipBuilder zip = new ZipBuilder().zip64();
        TorchFixtures.entries("traced_cnn.pt").forEach(zip::add);
        Path file = Files.write(dir.resolve("zip64.pt"), zip.build());
        JsonNode facts = TorchFixtures.facts("traced_cnn.json");
        try (TorchScriptArchive a = TorchScriptArchive.open(file)) {
            assertEquals(10, checkTensors(a.root(), facts.get("tensors")));
        }
    }

    @Test
    void tensorsStayReadableAfterClose() {
        TorchTensor weight;
        try (TorchScriptArchive a = TorchScriptArchive.open(TorchFixtures.file("traced_cnn.pt"))) {
            weight = (TorchTensor) at(a.root(), "fc.weight");
        }
        JsonNode f = TorchFixtures.facts("traced_cnn.json").get("tensors").get("fc.weight");
        assertEquals((float) f.get("first").get(0).asDouble(), weight.toIrTensor("w").toFloatArray()[0]);
    }
}
