package io.mconv.agent.runtime.worker;

import java.lang.reflect.Field;

/**
 * Failure injection for the worker's tests, read from the worker's system property {@value #PROPERTY} (only the
 * worker reads it; mconv itself never does). Real native crashes and hangs cannot be produced on demand, so tests set
 * this to make the worker behave like one: {@code sleep-on-run:MILLIS} hangs before each run, {@code segfault-on-run}
 * dereferences address 0 (the JVM's crash handler then aborts the process, exactly as on a SIGSEGV inside native
 * code), {@code abort-on-run} raises SIGABRT in the process (what a C++ runtime's {@code std::terminate} or a failed
 * assertion does; the JVM does not catch it). Unset in production: no effect.
 */
public final class WorkerTestHook {

    public static final String PROPERTY = "mconv.worker.testHook";

    private final String spec;

    private WorkerTestHook(String spec) {
        this.spec = spec;
    }

    public static WorkerTestHook fromSystemProperties() {
        return new WorkerTestHook(System.getProperty(PROPERTY, ""));
    }

    public void beforeRun() {
        if (spec.startsWith("sleep-on-run:")) {
            try {
                Thread.sleep(Long.parseLong(spec.substring("sleep-on-run:".length())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        } else if (spec.equals("segfault-on-run")) {
            writeToAddressZero();
        } else if (spec.equals("abort-on-run")) {
            raiseAbort();
        }
    }

    private static void raiseAbort() {
        try {
            new ProcessBuilder("kill", "-ABRT", Long.toString(ProcessHandle.current().pid())).inheritIO().start()
                    .waitFor();
            Thread.sleep(10_000); // the signal ends the process before this does
        } catch (java.io.IOException e) {
            throw new IllegalStateException("test hook could not run kill", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void writeToAddressZero() {
        try {
            Field f = Class.forName("sun.misc.Unsafe").getDeclaredField("theUnsafe");
            f.setAccessible(true);
            Object unsafe = f.get(null);
            unsafe.getClass().getMethod("putAddress", long.class, long.class).invoke(unsafe, 0L, 0L);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("test hook could not reach sun.misc.Unsafe", e);
        }
    }
}
