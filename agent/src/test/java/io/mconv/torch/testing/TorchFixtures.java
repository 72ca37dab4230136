package io.mconv.torch.testing;

import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The committed PyTorch fixtures of {@code testdata/torch/} (written by {@code testdata/make_torch_fixtures.py}).
 * A missing one fails the test with the command that makes it.
 */
public final class TorchFixtures {

    private TorchFixtures() {
    }

    public static Path file(String name) {
        Path p = Path.of(System.getProperty("mconv.testdata.dir", "../testdata"), "torch", name);
        if (!Files.isRegularFile(p)) {
            fail("Fixture " + p + " is missing. It is committed; regenerate it with: "
                    + "/usr/bin/python3 testdata/make_torch_fixtures.py "
                    + "(needs: sudo apt-get install -y python3-torch python3-torchvision)");
        }
        return p;
    }

    public static JsonNode facts(String name) {
        try {
            return new ObjectMapper().readTree(file(name).toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A fixture's entries in order, read with the JDK's zip reader: the fixtures are trusted, and tests rewrite them
     * into hostile variants with {@link ZipBuilder}.
     */
    public static Map<String, byte[]> entries(String name) {
        Map<String, byte[]> out = new LinkedHashMap<>();
        try (ZipFile zip = new ZipFile(file(name).toFile())) {
            for (ZipEntry e : java.util.Collections.list(zip.entries())) {
                try (var in = zip.getInputStream(e)) {
                    out.put(e.getName(), in.readAllBytes());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** Writes entries as a zip (stored, code deflated as torch does) with the given replacements. */
    public static Path rewrite(Map<String, byte[]> entries, Path to) {
        ZipBuilder zip = new ZipBuilder();
        entries.forEach((n, data) -> {
            ZipBuilder.Entry e = zip.add(n, data);
            if (n.contains("/code/")) {
                e.deflated();
            }
        });
        try {
            return Files.write(to, zip.build());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String sha256(Path file) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
