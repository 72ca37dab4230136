package io.mconv.agent.validation;

import io.mconv.onnx.io.InvalidModelException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Arrays;

/**
 * The checks on a {@code .pt} source before a libtorch worker is started for it: a readable regular file that is a
 * zip archive (every TorchScript file is one). libtorch would refuse anything else too, but only after seconds of
 * worker startup, and with a message about zip internals; this answers at once and names the file.
 */
final class TorchSourceFile {

    private static final byte[] ZIP_MAGIC = {'P', 'K', 3, 4};

    private TorchSourceFile() {
    }

    /** @throws InvalidModelException when {@code file} cannot be a TorchScript file */
    static void check(Path file) {
        BasicFileAttributes attrs;
        try {
            // Checked before opening: opening a FIFO blocks until a writer appears.
            attrs = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            throw new InvalidModelException(file, "no such file", e);
        } catch (AccessDeniedException e) {
            throw new InvalidModelException(file, "permission denied", e);
        } catch (IOException e) {
            throw new InvalidModelException(file, "cannot read file: " + e.getMessage(), e);
        }
        if (attrs.isDirectory()) {
            throw new InvalidModelException(file, "is a folder, not a TorchScript file");
        }
        if (!attrs.isRegularFile()) {
            throw new InvalidModelException(file, "is not a regular file (a FIFO, device or socket); refusing to read it");
        }
        byte[] head = new byte[ZIP_MAGIC.length];
        int n;
        try (InputStream in = Files.newInputStream(file)) {
            n = in.readNBytes(head, 0, head.length);
        } catch (IOException e) {
            throw new InvalidModelException(file, "cannot read file: " + e.getMessage(), e);
        }
        if (n < head.length || !Arrays.equals(head, ZIP_MAGIC)) {
            throw new InvalidModelException(file, (n == 0 ? "is empty" : "is not a zip archive") + ", so not a "
                    + "TorchScript file (make one with torch.jit.trace or torch.jit.script, then .save())");
        }
    }
}
