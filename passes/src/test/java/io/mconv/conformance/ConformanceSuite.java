package io.mconv.conformance;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Finds the ONNX backend conformance suite (Debian's libonnx-testdata: node, pytorch-converted, pytorch-operator,
 * simple). A missing suite fails the test with the install command; it is never skipped.
 */
public final class ConformanceSuite {

    public static final List<String> SECTIONS = List.of("node", "pytorch-converted", "pytorch-operator", "simple");

    private ConformanceSuite() {
    }

    public static Path root() {
        Path root = Path.of(System.getProperty("onnx.testdata.dir", "/usr/share/libonnx-testdata/data"));
        if (!Files.isDirectory(root.resolve("node"))) {
            fail("The ONNX backend conformance suite is not installed at " + root
                    + ". Install it with: sudo apt-get install -y libonnx-testdata");
        }
        return root;
    }

    /** Every case folder holding a model.onnx, sorted, across the four sections. */
    public static List<Path> cases() {
        Path root = root();
        List<Path> out = new ArrayList<>();
        for (String section : SECTIONS) {
            try (Stream<Path> s = Files.list(root.resolve(section))) {
                s.filter(p -> Files.isRegularFile(p.resolve("model.onnx"))).sorted().forEach(out::add);
            } catch (IOException e) {
                fail("cannot list " + root.resolve(section) + ": " + e);
            }
        }
        return out;
    }

    /** {@code node/test_abs} for reports. */
    public static String label(Path caseDir) {
        return caseDir.getParent().getFileName() + "/" + caseDir.getFileName();
    }
}
