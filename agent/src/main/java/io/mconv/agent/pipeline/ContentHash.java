package io.mconv.agent.pipeline;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

/**
 * SHA-256 of files and of cache-key texts. A step's key hashes its input's key with its name, its options and the
 * mconv version, so keys chain: the source file is read once, and a change anywhere up the chain changes every
 * key after it.
 */
public final class ContentHash {

    private ContentHash() {
    }

    public static String ofFile(Path file) throws IOException {
        MessageDigest digest = sha256();
        byte[] buffer = new byte[1 << 20];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /** The key of a step: its input's key, its name and options (sorted by the caller) and the mconv version. */
    public static String ofStep(String inputKey, String step, Map<String, String> options, String version) {
        StringBuilder text = new StringBuilder().append("mconv ").append(version).append('\n')
                .append("input ").append(inputKey).append('\n').append("step ").append(step).append('\n');
        options.forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
        return ofText(text.toString());
    }

    static String ofText(String text) {
        return HexFormat.of().formatHex(sha256().digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
