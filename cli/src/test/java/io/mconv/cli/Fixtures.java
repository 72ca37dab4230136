package io.mconv.cli;

import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The generated torchvision fixtures (testdata/make_models.sh writes them into testdata/generated/). A missing
 * fixture fails the test with the command that makes it; it is never skipped.
 */
final class Fixtures {

    private Fixtures() {
    }

    static Path generated(String name) {
        Path p = Path.of(System.getProperty("mconv.testdata.dir", "../testdata"), "generated", name);
        if (!Files.isRegularFile(p)) {
            fail("Fixture " + p + " is missing. Generate it with: testdata/make_models.sh "
                    + "(needs: sudo apt-get install -y python3-torch python3-torchvision python3-onnx), "
                    + "or run ./test.sh, which does both.");
        }
        return p;
    }

    static JsonNode facts(String model) throws IOException {
        return new ObjectMapper().readTree(Files.readString(generated(model + ".facts.json")));
    }
}
