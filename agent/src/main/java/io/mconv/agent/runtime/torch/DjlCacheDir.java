package io.mconv.agent.runtime.torch;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

/**
 * The folder where DJL extracts libtorch (~430 MB, once per version) before loading it, computed in mconv so that
 * the worker gets it explicitly: a {@code -DDJL_CACHE_DIR=...} given to mconv's JVM would otherwise not reach the
 * worker JVM, and error messages can name the folder. Same order as DJL's own lookup:
 * {@code ENGINE_CACHE_DIR}, then {@code DJL_CACHE_DIR} (system property first, then environment), then
 * {@code ~/.djl.ai}, or {@code <tmpdir>/.djl.ai} when the home folder is not writable (CI containers). Nothing is
 * downloaded: the files come from the pytorch-native jar on the classpath.
 */
final class DjlCacheDir {

    private DjlCacheDir() {
    }

    /** The engine cache folder (DJL adds {@code pytorch/<version>-cpu-<platform>} below it). */
    static Path resolve(Path configured, Properties system, Map<String, String> env) {
        if (configured != null) {
            return configured.toAbsolutePath();
        }
        String engine = lookup("ENGINE_CACHE_DIR", system, env);
        if (engine != null) {
            return Path.of(engine).toAbsolutePath();
        }
        String djl = lookup("DJL_CACHE_DIR", system, env);
        if (djl != null) {
            return Path.of(djl).toAbsolutePath();
        }
        Path home = Path.of(system.getProperty("user.home", "."));
        Path base = Files.isWritable(home) ? home : Path.of(system.getProperty("java.io.tmpdir"));
        return base.resolve(".djl.ai").toAbsolutePath();
    }

    private static String lookup(String key, Properties system, Map<String, String> env) {
        String v = system.getProperty(key);
        if (v == null || v.isEmpty()) {
            v = env.get(key);
        }
        return v == null || v.isEmpty() ? null : v;
    }
}
