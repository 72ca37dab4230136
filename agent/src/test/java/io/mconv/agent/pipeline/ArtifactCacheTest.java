package io.mconv.agent.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The step cache on a real folder: commits, hits, LRU eviction under the size bound, lost races. */
class ArtifactCacheTest {

    @TempDir
    Path root;

    private static Path entry(ArtifactCache cache, String key, int bytes, long usedSecondsAgo) throws Exception {
        Path staged = cache.stage();
        Files.write(staged.resolve(ArtifactCache.ARTIFACT), new byte[bytes]);
        Files.writeString(staged.resolve(ArtifactCache.RECORD), "{}");
        Path committed = cache.commit(key, staged);
        Files.setLastModifiedTime(committed.resolve(ArtifactCache.RECORD),
                FileTime.from(Instant.now().minusSeconds(usedSecondsAgo)));
        return committed;
    }

    @Test
    void aCommittedStepIsFoundAndAnUnknownKeyIsNot() throws Exception {
        ArtifactCache cache = new ArtifactCache(root, 1 << 20);
        Path committed = entry(cache, "k1", 100, 0);
        assertEquals(committed, cache.find("k1").orElseThrow());
        assertEquals(100, Files.size(committed.resolve(ArtifactCache.ARTIFACT)));
        assertTrue(cache.find("k2").isEmpty());
        try (Stream<Path> staging = Files.list(root.resolve("staging"))) {
            assertEquals(0, staging.count(), "the staging folder was moved, not copied");
        }
    }

    @Test
    void theLeastRecentlyUsedEntriesGoWhenTheBoundIsPassed() throws Exception {
        ArtifactCache cache = new ArtifactCache(root, 2_500);
        entry(cache, "oldest", 1_000, 300);
        entry(cache, "older", 1_000, 200);
        cache.find("oldest"); // a hit makes it the most recently used
        entry(cache, "newest", 1_000, 0);
        assertTrue(cache.find("oldest").isPresent(), "touched by the hit, so kept");
        assertTrue(cache.find("newest").isPresent(), "the entry just committed is never evicted");
        assertFalse(Files.exists(root.resolve("entries").resolve("older")), "least recently used, evicted");
    }

    @Test
    void aLostRaceKeepsTheFirstEntry() throws Exception {
        ArtifactCache cache = new ArtifactCache(root, 1 << 20);
        entry(cache, "same", 10, 0);
        Path staged = cache.stage();
        Files.write(staged.resolve(ArtifactCache.ARTIFACT), new byte[20]);
        Files.writeString(staged.resolve(ArtifactCache.RECORD), "{}");
        Path kept = cache.commit("same", staged);
        assertEquals(10, Files.size(kept.resolve(ArtifactCache.ARTIFACT)));
        assertFalse(Files.exists(staged), "the loser's staging folder is removed");
    }
}
