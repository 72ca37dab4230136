package io.mconv.cli;

import io.mconv.agent.pipeline.ArtifactCache;
import io.mconv.cli.options.ByteSize;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where the step cache lives and how large it may grow: {@code --cache-dir}, else {@code $MCONV_CACHE_DIR}, else
 * {@code $XDG_CACHE_HOME/mconv}, else {@code ~/.cache/mconv}; the bound from {@code $MCONV_CACHE_SIZE} (2GiB).
 */
record CacheLocation(Path dir, long maxBytes) {

    static CacheLocation resolve(Path option, Map<String, String> env, String home) {
        Path dir;
        if (option != null) {
            dir = option;
        } else if (notBlank(env.get("MCONV_CACHE_DIR"))) {
            dir = Path.of(env.get("MCONV_CACHE_DIR"));
        } else if (notBlank(env.get("XDG_CACHE_HOME"))) {
            dir = Path.of(env.get("XDG_CACHE_HOME"), "mconv");
        } else {
            dir = Path.of(home, ".cache", "mconv");
        }
        String size = env.get("MCONV_CACHE_SIZE");
        long max = notBlank(size) ? ByteSize.parse(size) : ArtifactCache.DEFAULT_MAX_BYTES;
        return new CacheLocation(dir, max);
    }

    private static boolean notBlank(String s) {
        return s != null && !s.isBlank();
    }
}
