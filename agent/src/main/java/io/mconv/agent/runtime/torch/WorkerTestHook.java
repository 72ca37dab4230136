package io.mconv.agent.runtime.torch;

import java.lang.reflect.Field;

/**
 * Failure injection for the worker's tests, read from the worker's system property {@value #PROPERTY}. Real
 * libtorch crashes and hangs cannot be produced on demand, so tests set this to make the worker behave like one:
 * {@code sleep-on-run:MILLIS} hangs before each run, {@code segfault-on-run} dereferences address 0 (the JVM's crash
 * handler then aborts the process, exactly as on a SIGSEGV inside libtorch). Unset in production: no effect.
 */
final class WorkerTestHook {

    static final String PROPERTY = "mconv.torch.worker.testHook";

    private final String spec;

    private WorkerTestHook(String spec) {
        this.spec = spec;
    }

    static WorkerTestHook fromSystemProperties() {
        return new WorkerTestHook(System.getProperty(PROPERTY, ""));
    }

    void beforeRun() {
        if (spec.startsWith("sleep-on-run:")) {
            try {
                Thread.sleep(Long.parseLong(spec.substring("sleep-on-run:".length())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        } else if (spec.equals("segfault-on-run")) {
            writeToAddressZero();
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
