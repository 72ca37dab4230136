package io.mconv.torch.script;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzzes the TorchScript code parser (lexer and parser) on code files: the input's bytes as UTF-8, as the archive
 * reader decodes them. The contract: a {@link ScriptFile}, or a {@link ScriptSyntaxException} that names the file
 * and a position inside the source. Seeds: code files of real archives (testdata/torchscript-code) and broken ones.
 */
class ScriptParserFuzzTest {

    private static final String ENTRY = "code/__torch__/fuzz.py";

    @FuzzTest(maxDuration = "60s")
    @Timeout(10)
    void parse(byte[] data) {
        String source = new String(data, StandardCharsets.UTF_8);
        try {
            ScriptFile file = ScriptParser.parse(ENTRY, source);
            assertNotNull(file.classes());
            assertNotNull(file.functions());
        } catch (ScriptSyntaxException e) {
            assertEquals(ENTRY, e.pos().file());
            assertTrue(e.pos().line() >= 1 && e.pos().column() >= 1, () -> "position " + e.pos());
            assertFalse(e.getMessage().contains("\n"), "error spans several lines");
        }
    }
}
