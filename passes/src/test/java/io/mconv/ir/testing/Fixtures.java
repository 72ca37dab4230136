package io.mconv.ir.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The generated model fixtures: {@code testdata/make_models.sh} writes them into {@code testdata/generated/}
 * ({@code ./test.sh} runs it first). A missing fixture fails the test with the command that makes it; it is never
 * skipped. The folder comes from the system property {@code mconv.testdata.dir} (set by the build).
 */
public final class Fixtures {

    private Fixtures() {
    }

    public static Path testdata() {
        return Path.of(System.getProperty("mconv.testdata.dir", "../testdata"));
    }

    /** A file of {@code testdata/generated/}, e.g. {@code resnet18.onnx} or {@code resnet18.facts.json}. */
    public static Path generated(String name) {
        Path p = testdata().resolve("generated").resolve(name);
        if (!Files.isRegularFile(p)) {
            fail("Fixture " + p + " is missing. Generate it with: testdata/make_models.sh "
                    + "(needs: sudo apt-get install -y python3-torch python3-torchvision python3-onnx), "
                    + "or run ./test.sh, which does both.");
        }
        return p;
    }
}
