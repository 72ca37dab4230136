package io.mconv.onnx.io;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The temporary files {@link ModelWriter} stages a model in, and the clean-up of those a killed writer left behind.
 *
 * <p>A writer killed by SIGKILL (or a power cut) cannot delete its temporaries. Each one is named
 * {@code .NAME.PID-RANDOM.tmp}, hidden, in the destination's folder, with the writing process's id, so a later write
 * of the same destination can tell its own kind of leftover from anything else and delete it only when the process
 * that made it is gone. A live writer's temporary is never touched, so two mconv processes writing the same file
 * do not sabotage each other; other files, even hidden {@code .tmp} ones of other programs, are never matched.
 */
final class WriterTemporaries {

    private static final String SUFFIX = ".tmp";

    private final long pid;

    WriterTemporaries() {
        this(ProcessHandle.current().pid());
    }

    WriterTemporaries(long pid) {
        this.pid = pid;
    }

    /** Creates a new, empty temporary for the destination file named {@code name} in {@code dir}. */
    Path create(Path dir, String name) throws IOException {
        // createTempFile appends random digits to the prefix and creates the file exclusively, private to the user.
        return Files.createTempFile(dir, "." + name + "." + pid + "-", SUFFIX);
    }

    /**
     * Deletes the temporaries for {@code names} in {@code dir} whose writer process no longer runs. Best effort:
     * a file that cannot be deleted is left, since failing a write over someone else's leftover would be worse.
     *
     * @return the files deleted
     */
    List<Path> sweepStale(Path dir, List<String> names) {
        List<Path> deleted = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, ".*" + SUFFIX)) {
            for (Path p : entries) {
                Optional<Long> owner = owner(p.getFileName().toString(), names);
                if (owner.isPresent() && !isRunning(owner.get())) {
                    try {
                        if (Files.deleteIfExists(p)) {
                            deleted.add(p);
                        }
                    } catch (IOException e) {
                        // Not ours to insist on: leave it.
                    }
                }
            }
        } catch (IOException e) {
            // An unreadable folder fails the write itself later, with a clearer message.
        }
        return deleted;
    }

    /** The writer's process id when {@code fileName} is a temporary of one of {@code names}; else empty. */
    static Optional<Long> owner(String fileName, List<String> names) {
        for (String name : names) {
            Matcher m = Pattern.compile("\\." + Pattern.quote(name) + "\\.(\\d{1,19})-\\d+" + Pattern.quote(SUFFIX))
                    .matcher(fileName);
            if (m.matches()) {
                try {
                    return Optional.of(Long.parseLong(m.group(1)));
                } catch (NumberFormatException e) {
                    return Optional.empty();
                }
            }
        }
        return Optional.empty();
    }

    private boolean isRunning(long owner) {
        // Our own temporaries belong to a write in progress in this JVM (another thread): keep them.
        return owner == pid || ProcessHandle.of(owner).map(ProcessHandle::isAlive).orElse(false);
    }
}
