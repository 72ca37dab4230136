package io.mconv.cli.render;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Tells whether standard output and standard error are terminals. */
public interface TtyProbe {

    boolean stdoutIsTerminal();

    boolean stderrIsTerminal();

    /**
     * The process's own streams. Java only says whether stdin and stdout together are a terminal
     * ({@code System.console()}), which is the wrong question for stderr: {@code mconv profile m.onnx > report.txt}
     * should still show progress, and {@code 2> log} should get no carriage returns. On Linux the link of
     * /proc/self/fd/N names the device; elsewhere the console check is the best guess.
     */
    TtyProbe SYSTEM = new TtyProbe() {
        @Override
        public boolean stdoutIsTerminal() {
            return isTerminal(1);
        }

        @Override
        public boolean stderrIsTerminal() {
            return isTerminal(2);
        }

        private boolean isTerminal(int fd) {
            try {
                String target = Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString();
                return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
            } catch (IOException | UnsupportedOperationException | SecurityException e) {
                return System.console() != null;
            }
        }
    };

    /** Fixed answers, for tests and for streams that are not the process's own. */
    static TtyProbe fixed(boolean stdout, boolean stderr) {
        return new TtyProbe() {
            @Override
            public boolean stdoutIsTerminal() {
                return stdout;
            }

            @Override
            public boolean stderrIsTerminal() {
                return stderr;
            }
        };
    }
}
