package io.mconv.cli.render;

import io.mconv.onnx.io.OutputPathException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Collection;

/**
 * Writes a report file (--csv, --html) the way mconv writes models: to a temporary file in the same folder,
 * forced to disk, then renamed over the destination, so a crash leaves the old report or none, never half of one.
 * A destination that is one of the profiled models is refused.
 */
public final class ProfileReportFile {

    private ProfileReportFile() {
    }

    /**
     * @throws OutputPathException when {@code out} is a model being profiled or its folder does not exist
     */
    public static void write(Path out, String content, Collection<Path> models) {
        Path target = out.toAbsolutePath().normalize();
        for (Path m : models) {
            if (sameFile(target, m)) {
                throw new OutputPathException(out, "is one of the models being profiled; choose another file");
            }
        }
        Path dir = target.getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw new OutputPathException(out, "its folder does not exist");
        }
        Path tmp = null;
        try {
            tmp = Files.createTempFile(dir, "." + target.getFileName(), ".tmp");
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ch.write(java.nio.ByteBuffer.wrap(content.getBytes(StandardCharsets.UTF_8)));
                ch.force(true);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            tmp = null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + out + ": " + e.getMessage(), e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException e) {
                    // Best effort: the failure above is what the user needs to see.
                }
            }
        }
    }

    private static boolean sameFile(Path a, Path b) {
        try {
            return Files.exists(a) && Files.exists(b) ? Files.isSameFile(a, b)
                    : a.equals(b.toAbsolutePath().normalize());
        } catch (IOException e) {
            return a.equals(b.toAbsolutePath().normalize());
        }
    }
}
