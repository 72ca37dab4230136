package io.mconv.onnx.io;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * The check every model input gets before anything opens it: it exists, and it is a regular file. Checked from
 * its attributes, not by opening it, because opening a FIFO blocks until a writer appears and a device like
 * /dev/zero never ends. Links are followed: a link to a model is a model.
 */
public final class ReadableFile {

    private ReadableFile() {
    }

    /**
     * @param kind what the file should be, for the message about a folder: "an ONNX model file", "a model file"
     * @throws InvalidModelException naming the file and why it cannot be read
     */
    public static void require(Path file, String kind) {
        BasicFileAttributes attrs;
        try {
            attrs = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            throw new InvalidModelException(file, "no such file", e);
        } catch (AccessDeniedException e) {
            throw new InvalidModelException(file, "permission denied", e);
        } catch (IOException e) {
            throw new InvalidModelException(file, "cannot read file: " + reason(e), e);
        }
        if (attrs.isDirectory()) {
            throw new InvalidModelException(file, "is a folder, not " + kind);
        }
        if (!attrs.isRegularFile()) {
            throw new InvalidModelException(file,
                    "is not a regular file (a FIFO, device or socket); refusing to read it");
        }
    }

    /** The operating system's reason ("Not a directory") rather than the exception's class and path. */
    static String reason(IOException e) {
        if (e instanceof FileSystemException fse && fse.getReason() != null) {
            return fse.getReason();
        }
        return e.toString();
    }
}
