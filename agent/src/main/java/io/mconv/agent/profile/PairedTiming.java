package io.mconv.agent.profile;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtException;
import io.mconv.agent.runtime.ort.OrtRawSession;
import io.mconv.agent.runtime.ort.OrtSessionConfig;
import io.mconv.agent.validation.RandomInputs;
import io.mconv.ir.Tensor;
import java.nio.file.Path;
import java.util.Map;

/**
 * The latency of two models (a converted one and the float model it came from) measured together, for a speedup
 * that machine drift cannot fake: both sessions are open at once, each warms up as {@code mconv profile} does
 * ({@link TimingLoop#warmUp}), then they alternate in blocks of consecutive runs, each block lasting at least
 * {@value #BLOCK_MILLIS} ms, until each has the asked number of timed runs. The first run of every block is not
 * counted: it is where the other session's intra-op threads may still be spinning after their own block. Figures
 * are per-run medians etc. over all counted runs, so each model's figure is comparable with a separate
 * {@code mconv profile} of it, and a burst of load falls on both models alike.
 */
public final class PairedTiming {

    static final long BLOCK_MILLIS = 20;
    static final int MIN_BLOCKS = 10;

    /** Latencies of the first and second model. */
    public record Result(LatencyStats first, LatencyStats second) {
    }

    private final ProfileOptions options;

    public PairedTiming(ProfileOptions options) {
        this.options = options;
    }

    /**
     * @param iterations counted runs per model (at least 1)
     * @throws io.mconv.agent.runtime.RuntimeFailureException when ORT cannot load or run a model
     */
    public Result measure(Path first, Path second, int iterations) {
        if (iterations < 1) {
            throw new IllegalArgumentException("iterations must be >= 1: " + iterations);
        }
        OrtSessionConfig config = OrtSessionConfig.defaults()
                .withProviders(options.providers(), !options.strictProvider())
                .withIntraOpThreads(options.threads());
        try (OrtRawSession a = OrtRawSession.open(first, config);
             OrtRawSession b = OrtRawSession.open(second, config)) {
            Map<String, OnnxTensor> feedsA = feeds(a, first);
            Map<String, OnnxTensor> feedsB = feeds(b, second);
            try {
                return alternate(new TimingLoop(a.session(), feedsA), new TimingLoop(b.session(), feedsB),
                        iterations);
            } catch (OrtException e) {
                throw OrtRawSession.runFailure(e);
            } finally {
                OnnxValue.close(feedsA);
                OnnxValue.close(feedsB);
            }
        }
    }

    private Result alternate(TimingLoop a, TimingLoop b, int iterations) throws OrtException {
        long estimate = Math.max(1, Math.max(a.warmUp(options.warmup()), b.warmUp(options.warmup())));
        if (options.warmup() == 0) {
            estimate = Math.max(a.runOnce(), b.runOnce());
        }
        // At least MIN_BLOCKS blocks, but no block shorter than BLOCK_MILLIS (a fast model's whole budget may be
        // one block each: then there is no drift to share out anyway).
        long runsPerBlockMillis = (long) Math.ceil(BLOCK_MILLIS * 1e6 / estimate);
        int perBlock = (int) Math.min(iterations, Math.max((iterations + MIN_BLOCKS - 1) / MIN_BLOCKS,
                runsPerBlockMillis));
        long[] samplesA = new long[iterations];
        long[] samplesB = new long[iterations];
        int doneA = 0;
        int doneB = 0;
        while (doneA < iterations || doneB < iterations) {
            doneA = block(a, samplesA, doneA, perBlock);
            doneB = block(b, samplesB, doneB, perBlock);
        }
        return new Result(LatencyStats.of(LatencyStats.nanosToMillis(samplesA)),
                LatencyStats.of(LatencyStats.nanosToMillis(samplesB)));
    }

    /** One uncounted switch-over run, then up to {@code runs} counted ones; returns the new count. */
    private static int block(TimingLoop loop, long[] samples, int done, int runs) throws OrtException {
        if (done == samples.length) {
            return done;
        }
        loop.runOnce();
        int end = Math.min(samples.length, done + runs);
        for (int i = done; i < end; i++) {
            samples[i] = loop.runOnce();
        }
        return end;
    }

    private Map<String, OnnxTensor> feeds(OrtRawSession session, Path file) {
        BatchShapes shapes = new BatchShapes(file.getFileName().toString(), session.inputs(), options.inputShapes());
        Map<String, Tensor> feeds = new RandomInputs(options.seed()).generate(session.inputs(), shapes.forBatch(null));
        return Profiler.toOrt(session, feeds);
    }
}
