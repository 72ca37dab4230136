package io.mconv.agent.validation;

import io.mconv.onnx.io.InvalidModelException;
import io.mconv.onnx.io.ReadableFile;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
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
        ReadableFile.require(file, "a TorchScript file");
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
