package io.mconv.agent.runtime;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

/**
 * A runtime session (or anything that holds one) opened on another thread while this one does other work: ONNX
 * Runtime and libtorch spend most of a check creating sessions, and two of them side by side take the time of one
 * on a two-core machine. Closing it closes what was opened, now or, when the opener has not finished, as soon as it
 * does, so a failure elsewhere never leaks a native session.
 *
 * @param <T> what the opener returns
 */
public final class BackgroundOpen<T extends AutoCloseable> implements AutoCloseable {

    private final CompletableFuture<T> future;

    private BackgroundOpen(CompletableFuture<T> future) {
        this.future = future;
    }

    /** Starts {@code opener} on the common pool. */
    public static <T extends AutoCloseable> BackgroundOpen<T> start(Supplier<T> opener) {
        return new BackgroundOpen<>(CompletableFuture.supplyAsync(opener));
    }

    /**
     * Waits for the opener.
     *
     * @throws RuntimeException what the opener threw, as it threw it
     */
    public T get() {
        return join(future);
    }

    /**
     * Waits for {@code future}; what its task threw is thrown as it was thrown, not wrapped.
     *
     * @throws RuntimeException what the task threw
     */
    public static <V> V join(CompletableFuture<V> future) {
        try {
            return future.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw e;
        }
    }

    /** Closes what was opened: now when it is open (a failure to close is thrown), else once the opener is done. */
    @Override
    public void close() {
        if (future.isDone() && !future.isCompletedExceptionally()) {
            closeNow(future.join());
            return;
        }
        future.thenAccept(opened -> {
            try {
                opened.close();
            } catch (Exception e) {
                // on the opener's thread, after the command moved on: nobody is left to tell
            }
        });
    }

    private static void closeNow(AutoCloseable opened) {
        try {
            opened.close();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("closing " + opened + " failed: " + e.getMessage(), e);
        }
    }
}
