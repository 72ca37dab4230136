package io.mconv.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The command that starts mconv's entry point in a separate JVM, on the class path the tests run with. */
final class MainProcess {

    private MainProcess() {
    }

    /** Surefire names the real class path in this property; java.class.path may be its manifest-only jar. */
    static String classPath() {
        String cp = System.getProperty("surefire.test.class.path");
        return cp == null || cp.isBlank() ? System.getProperty("java.class.path") : cp;
    }

    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** {@code java [jvmOptions] -cp CP io.mconv.cli.Main args...}. */
    static List<String> command(List<String> jvmOptions, String... args) {
        List<String> c = new ArrayList<>();
        c.add(java());
        c.addAll(jvmOptions);
        c.add("-cp");
        c.add(classPath());
        c.add("io.mconv.cli.Main");
        c.addAll(List.of(args));
        return c;
    }
}
