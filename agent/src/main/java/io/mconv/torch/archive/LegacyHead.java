package io.mconv.torch.archive;

import io.mconv.onnx.io.InvalidModelException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/** The first bytes of a file, enough to recognise a pickle where a zip should be. */
final class LegacyHead {

    private static final int LENGTH = 16;

    private LegacyHead() {
    }

    /** Up to 16 bytes; empty for something that is not a regular file (the zip reader reports that). */
    static byte[] read(Path file) {
        if (!Files.isRegularFile(file)) {
            return new byte[0];
        }
        try (InputStream in = Files.newInputStream(file)) {
            byte[] head = new byte[LENGTH];
            int n = in.readNBytes(head, 0, LENGTH);
            return Arrays.copyOf(head, n);
        } catch (IOException e) {
            throw new InvalidModelException(file, "cannot read: " + e.getMessage(), e);
        }
    }
}
