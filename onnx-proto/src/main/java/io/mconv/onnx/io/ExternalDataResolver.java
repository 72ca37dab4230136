package io.mconv.onnx.io;

import io.mconv.onnx.proto.Onnx.TensorProto;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds and maps the external data of a model's tensors, refusing anything that leaves the model's folder.
 *
 * <p>Checks, in order: the location's shape ({@link ExternalDataLocation#parse}); the real path (all symlinks
 * followed) must lie inside the real path of the model's folder (CVE-2022-25882 through a link); the target must
 * be a regular file with a single hard link (CVE-2024-27318: a hard link made inside the folder can point at any
 * file on the same file system, and nothing in the path shows it); offset and length must lie inside the file.
 * The region is then memory-mapped read-only, so a length field cannot make us allocate anything.
 *
 * <p>One {@link FileChannel} is kept per data file (large models put hundreds of tensors in one file) and all are
 * closed by {@link #close()}. Mappings returned earlier stay valid after close, as mappings do in Java.
 */
public final class ExternalDataResolver implements TensorDataSource, AutoCloseable {
    private final Path modelFile;
    private final Path baseDir;
    private final Map<Path, FileChannel> channels = new HashMap<>();
    private Path realBaseDir;
    private boolean closed;

    /**
     * @param modelFile the model file, named in error lines (may be null for an in-memory model)
     * @param baseDir the folder locations are relative to; null means the model has no folder and any external
     *     tensor is an error
     */
    public ExternalDataResolver(Path modelFile, Path baseDir) {
        this.modelFile = modelFile;
        this.baseDir = baseDir;
    }

    /** The folder external data is resolved against (may be null). */
    public Path baseDir() {
        return baseDir;
    }

    /** Resolves and maps the tensor's external data: a read-only little-endian view of exactly its bytes. */
    @Override
    public ByteBuffer externalData(TensorProto tensor) {
        ExternalDataLocation loc = location(tensor);
        Path file = resolvePath(tensor, loc);
        synchronized (this) {
            FileChannel channel = channel(tensor, file);
            long size;
            try {
                size = channel.size();
            } catch (IOException e) {
                throw error(tensor, "cannot read external data file " + ErrorLine.quote(loc.location()) + ": " + e, e);
            }
            if (loc.offset() > size) {
                throw error(tensor, "external data offset " + loc.offset() + " is past the end of "
                        + ErrorLine.quote(loc.location()) + " (" + size + " bytes)", null);
            }
            long length = loc.hasLength() ? loc.length() : size - loc.offset();
            // Written as a subtraction so that offset + length cannot overflow.
            if (length > size - loc.offset()) {
                throw error(tensor, "external data offset " + loc.offset() + " + length " + length
                        + " is past the end of " + ErrorLine.quote(loc.location()) + " (" + size + " bytes)", null);
            }
            if (length > Integer.MAX_VALUE) {
                throw error(tensor, "external data region is " + length
                        + " bytes; one tensor's data must be under 2 GiB", null);
            }
            try {
                return channel.map(FileChannel.MapMode.READ_ONLY, loc.offset(), length).order(ByteOrder.LITTLE_ENDIAN);
            } catch (IOException e) {
                throw error(tensor, "cannot map external data in " + ErrorLine.quote(loc.location()) + ": " + e, e);
            }
        }
    }

    /** Parses the tensor's external_data keys (the location is checked for shape, not yet on disk). */
    public ExternalDataLocation location(TensorProto tensor) {
        if (tensor.getDataLocation() != TensorProto.DataLocation.EXTERNAL) {
            throw error(tensor, "tensor does not have external data", null);
        }
        return ExternalDataLocation.parse(tensor, modelFile);
    }

    /**
     * The real path of the tensor's data file, after every check that does not need the offset or length. Used
     * by the writer to protect the input's data files from being overwritten.
     */
    public Path resolvePath(TensorProto tensor) {
        return resolvePath(tensor, location(tensor));
    }

    private Path resolvePath(TensorProto tensor, ExternalDataLocation loc) {
        String where = ErrorLine.quote(loc.location());
        if (baseDir == null) {
            throw error(tensor, "external data " + where + " cannot be resolved: the model was not read from a folder", null);
        }
        Path realBase = realBaseDir();
        Path candidate = baseDir.resolve(SafeRelativePath.normalizeSeparators(loc.location()));
        Path real;
        try {
            real = candidate.toRealPath();
        } catch (NoSuchFileException e) {
            throw error(tensor, "external data file " + where + " does not exist", e);
        } catch (AccessDeniedException e) {
            throw error(tensor, "external data file " + where + ": permission denied", e);
        } catch (IOException e) {
            throw error(tensor, "external data file " + where + " cannot be resolved: " + e, e);
        }
        if (real.equals(realBase)) {
            throw error(tensor, "external data location " + where + " names the model's folder, not a file", null);
        }
        if (!real.startsWith(realBase)) {
            throw error(tensor, "external data location " + where
                    + " resolves outside the model's folder through a symbolic link (to " + real + ")", null);
        }
        BasicFileAttributes attrs;
        try {
            attrs = Files.readAttributes(real, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            throw error(tensor, "external data file " + where + " cannot be read: " + e, e);
        }
        // Checked before any open: opening a FIFO would block, opening a device could read forever.
        if (!attrs.isRegularFile()) {
            throw error(tensor, "external data location " + where + " is not a regular file", null);
        }
        int links = hardLinks(real);
        if (links > 1) {
            throw error(tensor, "external data file " + where + " has " + links
                    + " hard links; refused because a hard link can reach outside the model's folder", null);
        }
        return real;
    }

    private static int hardLinks(Path real) {
        try {
            Object n = Files.getAttribute(real, "unix:nlink", LinkOption.NOFOLLOW_LINKS);
            return n instanceof Integer i ? i : 1;
        } catch (UnsupportedOperationException | IllegalArgumentException | IOException e) {
            // No "unix" view (e.g. Windows): there is no portable link count to check.
            return 1;
        }
    }

    private Path realBaseDir() {
        synchronized (this) {
            if (realBaseDir == null) {
                try {
                    realBaseDir = baseDir.toRealPath();
                } catch (IOException e) {
                    throw new InvalidModelException(modelFile, "model folder " + baseDir + " cannot be resolved: " + e, e);
                }
            }
            return realBaseDir;
        }
    }

    private FileChannel channel(TensorProto tensor, Path real) {
        if (closed) {
            throw new IllegalStateException("external data resolver is closed");
        }
        FileChannel ch = channels.get(real);
        if (ch == null) {
            try {
                // NOFOLLOW_LINKS: the real path has no links now; if one is swapped in after the check, open fails.
                ch = FileChannel.open(real, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
            } catch (AccessDeniedException e) {
                throw error(tensor, "external data file " + real.getFileName() + ": permission denied", e);
            } catch (IOException e) {
                throw error(tensor, "cannot open external data file " + real.getFileName() + ": " + e, e);
            }
            channels.put(real, ch);
        }
        return ch;
    }

    private InvalidModelException error(TensorProto tensor, String cause, Throwable e) {
        return new InvalidModelException(modelFile, "tensor " + ErrorLine.quote(tensor.getName()) + ": " + cause, e);
    }

    /** Closes every data file opened so far. */
    @Override
    public synchronized void close() {
        closed = true;
        List<IOException> failures = new ArrayList<>();
        for (FileChannel ch : channels.values()) {
            try {
                ch.close();
            } catch (IOException e) {
                failures.add(e);
            }
        }
        channels.clear();
        if (!failures.isEmpty()) {
            java.io.UncheckedIOException u = new java.io.UncheckedIOException("closing external data files", failures.get(0));
            failures.stream().skip(1).forEach(u::addSuppressed);
            throw u;
        }
    }
}
