package io.mconv.agent.profile;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.util.Arrays;
import java.util.Map;
import java.util.function.DoubleConsumer;

/**
 * The measured loop: runs one session on the same preallocated feeds and records {@link System#nanoTime()} around
 * each {@code run} (closing the result included, as any caller must). Nothing is allocated per iteration beyond
 * what ORT's Java binding allocates itself: the sample array is sized before the loop (grown only when a duration
 * budget underestimated the count), and progress is reported only when a deadline passes.
 */
final class TimingLoop {

    private static final long PROGRESS_EVERY_NANOS = 200_000_000L;

    /** The least time a warm-up lasts (unless it was asked to be zero runs): see {@link #warmUp}. */
    static final long WARM_UP_FLOOR_NANOS = 500_000_000L;

    private final OrtSession session;
    private final Map<String, OnnxTensor> feeds;

    TimingLoop(OrtSession session, Map<String, OnnxTensor> feeds) {
        this.session = session;
        this.feeds = feeds;
    }

    /** One run, timed: for the first inference and for estimating a duration budget. */
    long runOnce() throws OrtException {
        long t0 = System.nanoTime();
        try (OrtSession.Result ignored = session.run(feeds)) {
            // Timed like the loop below: the run and the release of its outputs.
        }
        return System.nanoTime() - t0;
    }

    /**
     * Untimed runs: at least {@code n}, and when {@code n > 0} also until {@link #WARM_UP_FLOOR_NANOS} have passed.
     * The floor is for fast models: five runs of a 0.1 ms model leave ORT's Java binding and mconv's loop running in
     * the interpreter; half a second is thousands of calls, enough for the JIT to compile them.
     * A slow model's {@code n} runs usually take longer than the floor anyway.
     *
     * @return the mean nanoseconds per run (0 when {@code n} is 0)
     */
    long warmUp(int n) throws OrtException {
        long total = 0;
        int runs = 0;
        while (runs < n || n > 0 && total < WARM_UP_FLOOR_NANOS) {
            total += runOnce();
            runs++;
        }
        return runs == 0 ? 0 : total / runs;
    }

    /**
     * @param estimatedRunNanos a warm-up estimate of one run, used to size the sample array for a duration budget
     * @param progress          receives the fraction done, at most every 200 ms
     * @return the nanoseconds of each iteration, in order
     */
    long[] measure(RunBudget budget, long estimatedRunNanos, DoubleConsumer progress) throws OrtException {
        long[] samples = new long[budget.initialCapacity(estimatedRunNanos)];
        int done = 0;
        long start = System.nanoTime();
        long nextProgress = start + PROGRESS_EVERY_NANOS;
        while (true) {
            long t0 = System.nanoTime();
            try (OrtSession.Result ignored = session.run(feeds)) {
                // Only the run and the release of its outputs are timed.
            }
            long t1 = System.nanoTime();
            if (done == samples.length) {
                samples = Arrays.copyOf(samples, samples.length * 2);
            }
            samples[done++] = t1 - t0;
            if (budget.finished(done, t1 - start)) {
                break;
            }
            if (t1 >= nextProgress) {
                progress.accept(budget.fraction(done, t1 - start));
                nextProgress = t1 + PROGRESS_EVERY_NANOS;
            }
        }
        progress.accept(1);
        return Arrays.copyOf(samples, done);
    }
}
