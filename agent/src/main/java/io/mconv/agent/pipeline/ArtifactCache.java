package io.mconv.agent.pipeline;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The persistent step cache ({@code ~/.cache/mconv} by default): one folder per finished step, named by its key,
 * holding the step's record ({@code step.json}) and, for steps that make a model, {@code model.onnx} (and its
 * external data). A step is written into {@code staging/} and renamed into {@code entries/} in one move once it has
 * succeeded, so an interrupted run leaves no half entry, and the next run resumes after the last finished step.
 *
 * <p>The cache is bounded: after each commit the least recently used entries (by the time of {@code step.json},
 * touched on every hit) are deleted until the total fits. Staging folders older than a day (left by a killed run)
 * are deleted too. Several processes may share the folder: renames are atomic and a lost race keeps the other run's
 * entry, which has the same content.
 */
public final class ArtifactCache implements StepStore {

    public static final String ARTIFACT = "model.onnx";
    public static final String RECORD = "step.json";
    public static final long DEFAULT_MAX_BYTES = 2L << 30;

    private static final Duration STALE_STAGING = Duration.ofDays(1);

    private final Path entries;
    private final Path staging;
    private final long maxBytes;

    public ArtifactCache(Path root, long maxBytes) throws IOException {
        if (maxBytes <= 0) {
            throw new IllegalArgumentException("the cache size bound must be positive, got " + maxBytes);
        }
        this.entries = root.resolve("entries");
        this.staging = root.resolve("staging");
        this.maxBytes = maxBytes;
        Files.createDirectories(entries);
        Files.createDirectories(staging);
    }

    @Override
    public Optional<Path> find(String key) throws IOException {
        Path entry = entries.resolve(key);
        Path record = entry.resolve(RECORD);
        if (!Files.isRegularFile(record)) {
            return Optional.empty();
        }
        try {
            Files.setLastModifiedTime(record, FileTime.from(Instant.now()));
        } catch (IOException e) {
            return Optional.empty(); // evicted by another process between the check and the touch
        }
        return Optional.of(entry);
    }

    @Override
    public Path stage() throws IOException {
        Path dir = staging.resolve(UUID.randomUUID().toString());
        Files.createDirectories(dir);
        return dir;
    }

    @Override
    public Path commit(String key, Path staged) throws IOException {
        Path entry = entries.resolve(key);
        try {
            Files.move(staged, entry, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileSystemException e) {
            // rename(2) onto a non-empty folder fails with ENOTEMPTY, which Java reports as a plain
            // FileSystemException rather than DirectoryNotEmptyException
            if (!Files.isRegularFile(entry.resolve(RECORD))) {
                throw e;
            }
            FileTrees.delete(staged); // another run finished the same step first: same key, same content
        }
        evict(key);
        return entry;
    }

    /** Deletes least recently used entries (never {@code keep}) until the cache fits its bound. */
    void evict(String keep) throws IOException {
        record Sized(Path dir, long bytes, long lastUsed) {
        }
        List<Sized> all = new ArrayList<>();
        long total = 0;
        try (Stream<Path> dirs = Files.list(entries)) {
            for (Path dir : dirs.toList()) {
                try {
                    long bytes = FileTrees.size(dir);
                    long used = Files.getLastModifiedTime(dir.resolve(RECORD)).toMillis();
                    all.add(new Sized(dir, bytes, used));
                    total += bytes;
                } catch (IOException e) {
                    // half-deleted by another process: not counted
                }
            }
        }
        all.sort(Comparator.comparingLong(Sized::lastUsed));
        for (Sized s : all) {
            if (total <= maxBytes) {
                break;
            }
            if (s.dir().getFileName().toString().equals(keep)) {
                continue;
            }
            FileTrees.delete(s.dir());
            total -= s.bytes();
        }
        deleteStaleStaging();
    }

    private void deleteStaleStaging() throws IOException {
        Instant cutoff = Instant.now().minus(STALE_STAGING);
        try (Stream<Path> dirs = Files.list(staging)) {
            for (Path dir : dirs.toList()) {
                if (Files.getLastModifiedTime(dir).toInstant().isBefore(cutoff)) {
                    FileTrees.delete(dir);
                }
            }
        }
    }

    @Override
    public void close() {
        // entries stay for the next run
    }
}
