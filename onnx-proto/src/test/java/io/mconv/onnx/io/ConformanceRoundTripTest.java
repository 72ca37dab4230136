package io.mconv.onnx.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every model of the ONNX backend conformance suite parses and serializes back to the same bytes: our schema and
 * reader lose nothing. The suite comes from the Debian package libonnx-testdata; a missing suite fails the build
 * rather than skipping, so a machine without it cannot pass silently.
 */
class ConformanceRoundTripTest {
    /** Overridable with -Dmconv.conformance.dir=...; the parent POM's onnx.testdata.dir points elsewhere. */
    private static final Path SUITE = Path.of(System.getProperty("mconv.conformance.dir", "/usr/share/libonnx-testdata/data"));
    private static final List<String> GROUPS = List.of("node", "pytorch-converted", "pytorch-operator", "simple");

    @Test
    void everyModelRoundTripsByteForByte() throws IOException {
        if (!Files.isDirectory(SUITE)) {
            fail("ONNX conformance suite not found at " + SUITE + "; install it with: sudo apt-get install libonnx-testdata");
        }
        ModelReader reader = new ModelReader();
        List<String> mismatches = new ArrayList<>();
        int count = 0;
        for (String group : GROUPS) {
            Path g = SUITE.resolve(group);
            if (!Files.isDirectory(g)) {
                fail("conformance group " + g + " missing; reinstall with: sudo apt-get install --reinstall libonnx-testdata");
            }
            List<Path> models;
            try (Stream<Path> s = Files.list(g)) {
                models = s.map(d -> d.resolve("model.onnx")).filter(Files::isRegularFile).sorted().toList();
            }
            for (Path m : models) {
                count++;
                byte[] original = Files.readAllBytes(m);
                try (LoadedModel loaded = reader.read(m)) {
                    if (!Arrays.equals(original, loaded.model().toByteArray())) {
                        mismatches.add(SUITE.relativize(m).toString());
                    }
                } catch (InvalidModelException e) {
                    mismatches.add(e.getMessage());
                }
            }
        }
        System.out.println("conformance byte-for-byte round trip: " + count + " models, " + mismatches.size() + " mismatches");
        assertTrue(count > 1000, "expected the full suite, found " + count + " models under " + SUITE);
        assertEquals(List.of(), mismatches);
    }
}
