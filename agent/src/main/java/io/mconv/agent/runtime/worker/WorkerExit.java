package io.mconv.agent.runtime.worker;

import java.util.Map;

/**
 * How a worker process ended, in words. On Linux and macOS, Java reports a process killed by signal N as exit
 * value 128 + N, which is also what shells print; a JVM that crashes in native code aborts, so a segfault in
 * libtorch shows up as signal 6 (SIGABRT) after the JVM's crash handler ran.
 */
public record WorkerExit(int exitValue) {

    private static final Map<Integer, String> SIGNALS = Map.of(1, "SIGHUP", 2, "SIGINT", 4, "SIGILL", 6, "SIGABRT",
            7, "SIGBUS", 8, "SIGFPE", 9, "SIGKILL", 11, "SIGSEGV", 13, "SIGPIPE", 15, "SIGTERM");

    public boolean bySignal() {
        return exitValue > 128 && exitValue < 128 + 65;
    }

    public int signal() {
        return bySignal() ? exitValue - 128 : 0;
    }

    /** {@code signal 9 (SIGKILL)} or {@code exit 3}. */
    public String describe() {
        if (bySignal()) {
            String name = SIGNALS.get(signal());
            return "signal " + signal() + (name == null ? "" : " (" + name + ")");
        }
        return "exit " + exitValue;
    }
}
