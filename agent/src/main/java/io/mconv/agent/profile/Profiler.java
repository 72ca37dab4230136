package io.mconv.agent.profile;

import io.mconv.limits.Limits;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtException;
import io.mconv.agent.InvalidOptionException;
import io.mconv.agent.inspect.InspectReport;
import io.mconv.agent.inspect.MacEstimator;
import io.mconv.agent.model.IrModelFile;
import io.mconv.agent.model.ModelLoader;
import io.mconv.agent.runtime.RuntimeLoadFailureException;
import io.mconv.agent.runtime.ort.ExecutionProvider;
import io.mconv.agent.runtime.ort.OrtRawSession;
import io.mconv.agent.runtime.ort.OrtSessionConfig;
import io.mconv.agent.validation.RandomInputs;
import io.mconv.ir.Model;
import io.mconv.ir.Shape;
import io.mconv.ir.Tensor;
import io.mconv.ir.serde.ModelCopier;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Measures one model in ONNX Runtime: session creation, first inference, then per batch size a warm-up and a lean
 * timing loop ({@link TimingLoop}) on one session, memory from the process's resident set, and finally the per-op
 * breakdown from ORT's profiler in a second session, opened after the first is closed, so that tracing cannot
 * slow down the latency figures. MACs come from the IR (shape inference at the fed shapes).
 */
public final class Profiler {

    static final String ARENA_NOTE = "not available: ONNX Runtime's Java API (1.29) binds no allocator statistics "
            + "(OrtAllocator offers only close()); the arena is part of the resident-set figures";

    private static final int HISTOGRAM_BINS = 30;

    private final ProfileOptions options;
    private final ProfileListener listener;
    private final ProcessMemory memory = new ProcessMemory();
    private final Limits limits;

    public Profiler(ProfileOptions options, ProfileListener listener) {
        this(options, listener, Limits.defaults());
    }

    /** Reads the model and the {@code --inputs} files under {@code limits}. */
    public Profiler(ProfileOptions options, ProfileListener listener, Limits limits) {
        this.options = options;
        this.listener = listener;
        this.limits = limits;
    }

    /**
     * @throws InvalidOptionException                                  when a batch size, input shape or input file
     *                                                                 does not fit the model
     * @throws io.mconv.agent.runtime.ort.ProviderUnavailableException with --strict-provider and a missing provider
     * @throws io.mconv.agent.runtime.RuntimeFailureException          when ORT cannot run the model
     * @throws io.mconv.onnx.io.InvalidModelException                  when the file is not a valid ONNX model, or
     *                                                                 ORT cannot load it
     */
    public ModelProfile profile(Path modelFile) {
        String name = modelFile.getFileName().toString();
        try (IrModelFile ir = new ModelLoader(limits).load(modelFile)) {
            OrtSessionConfig config = OrtSessionConfig.defaults()
                    .withProviders(options.providers(), !options.strictProvider())
                    .withIntraOpThreads(options.threads());
            listener.update(name, "session", -1);
            boolean perModelPeak = memory.resetPeak();
            long rssBefore = memory.residentBytes().orElse(-1);
            long t0 = System.nanoTime();
            OrtRawSession session = open(modelFile, config);
            double createMs = (System.nanoTime() - t0) / 1e6;
            long rssAfterSession = memory.residentBytes().orElse(-1);
            List<BatchProfile> batches = new ArrayList<>();
            double firstMs;
            Map<String, Tensor> firstFeeds;
            List<String> providers;
            List<String> warnings;
            String runtime;
            try (session) {
                providers = session.providers().stream().map(ExecutionProvider::userName).toList();
                warnings = session.warnings();
                runtime = "onnxruntime " + session.ortVersion();
                BatchShapes shapes = new BatchShapes(name, session.inputs(), options.inputShapes());
                List<Integer> sizes = options.batches().isEmpty()
                        ? Collections.singletonList(null) : options.batches();
                sizes.forEach(shapes::forBatch); // refuse a bad batch size before minutes of running, not after
                firstFeeds = feeds(session, shapes.forBatch(sizes.get(0)));
                firstMs = timeFirstRun(session, firstFeeds);
                for (int i = 0; i < sizes.size(); i++) {
                    Map<String, Tensor> feeds = i == 0 ? firstFeeds : feeds(session, shapes.forBatch(sizes.get(i)));
                    batches.add(measure(name, session, ir.model(), sizes.get(i), feeds));
                }
            }
            MemoryReport mem = new MemoryReport(rssBefore, rssAfterSession, memory.peakBytes().orElse(-1),
                    perModelPeak, -1, ARENA_NOTE);
            OpBreakdown ops = null;
            String opsNote = "skipped (--no-op-profile)";
            if (options.opProfileRuns() > 0) {
                ops = opProfile(name, modelFile, config, firstFeeds);
                opsNote = "";
            }
            return new ModelProfile(modelFile, runtime, providers, warnings, createMs, firstMs, batches, mem, ops,
                    opsNote);
        }
    }

    /** Random seeded feeds at these shapes, or the user's files. */
    private Map<String, Tensor> feeds(OrtRawSession session, Map<String, Shape> shapes) {
        if (options.inputsDir() != null) {
            return new InputDirectory(options.inputsDir(), limits).read(session.inputs());
        }
        try {
            return new RandomInputs(options.seed()).generate(session.inputs(), shapes);
        } catch (InvalidOptionException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new InvalidOptionException(e.getMessage());
        }
    }

    private static double timeFirstRun(OrtRawSession session, Map<String, Tensor> feeds) {
        Map<String, OnnxTensor> ort = toOrt(session, feeds);
        try {
            return new TimingLoop(session.session(), ort).runOnce() / 1e6;
        } catch (OrtException e) {
            throw OrtRawSession.runFailure(e);
        } finally {
            OnnxValue.close(ort);
        }
    }

    private BatchProfile measure(String name, OrtRawSession session, Model model, Integer batch,
                                 Map<String, Tensor> feeds) {
        String stage = batch == null ? "latency" : "batch " + batch;
        Map<String, OnnxTensor> ort = toOrt(session, feeds);
        long[] nanos;
        try {
            TimingLoop loop = new TimingLoop(session.session(), ort);
            listener.update(name, stage + " warm-up", -1);
            long estimate = loop.warmUp(options.warmup());
            if (estimate == 0) {
                estimate = loop.runOnce(); // a duration budget needs an estimate to size its sample array
            }
            nanos = loop.measure(options.budget(), estimate, f -> listener.update(name, stage, f));
        } catch (OrtException e) {
            throw OrtRawSession.runFailure(e);
        } finally {
            OnnxValue.close(ort);
        }
        double[] ms = LatencyStats.nanosToMillis(nanos);
        LatencyStats stats = LatencyStats.of(ms);
        Map<String, long[]> shapes = new LinkedHashMap<>();
        feeds.forEach((k, v) -> shapes.put(k, v.dims()));
        InspectReport.Macs macs = macs(model, feeds);
        long macCount = macs == null ? -1 : macs.total();
        double gflops = macCount > 0 ? 2.0 * macCount / (stats.p50() / 1e3) / 1e9 : Double.NaN;
        int items = batch == null ? 1 : batch;
        return new BatchProfile(batch, shapes, stats, ms, items * 1000.0 / stats.mean(), macCount,
                macs != null && macs.unknownNodes() == 0, gflops, LatencyHistogram.of(ms, HISTOGRAM_BINS));
    }

    /**
     * MACs at the fed shapes, on a copy of the model (shape inference keeps the types it set, so each batch size
     * needs an untyped graph; the copy shares the weights' bytes); null when shape inference cannot type the model.
     */
    private static InspectReport.Macs macs(Model model, Map<String, Tensor> feeds) {
        Map<String, Shape> shapes = new LinkedHashMap<>();
        feeds.forEach((k, v) -> shapes.put(k, Shape.of(v.dims())));
        try {
            return new MacEstimator().estimate(ModelCopier.copy(model), shapes);
        } catch (RuntimeException e) {
            return null; // MACs are an extra; a model ORT runs but our shape inference cannot type still profiles
        }
    }

    /** The model file's session; ORT's refusal to load the file is invalid input, as a file mconv cannot parse is. */
    private static OrtRawSession open(Path modelFile, OrtSessionConfig config) {
        try {
            return OrtRawSession.open(modelFile, config);
        } catch (RuntimeLoadFailureException e) {
            throw e.asInvalidInput(modelFile);
        }
    }

    /** The feeds as ORT tensors of {@code session} (the caller closes them). */
    static Map<String, OnnxTensor> toOrt(OrtRawSession session, Map<String, Tensor> feeds) {
        Map<String, OnnxTensor> out = new LinkedHashMap<>();
        try {
            feeds.forEach((k, v) -> out.put(k, session.tensor(k, v)));
            return out;
        } catch (RuntimeException e) {
            OnnxValue.close(out);
            throw e;
        }
    }

    /** A separate session with ORT's profiler on: one warm-up run (dropped by the parser) plus the asked runs. */
    private OpBreakdown opProfile(String name, Path modelFile, OrtSessionConfig config, Map<String, Tensor> feeds) {
        listener.update(name, "op profile", -1);
        Path dir;
        try {
            dir = Files.createTempDirectory("mconv-profile");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a folder for ONNX Runtime's profile", e);
        }
        try (OrtRawSession session = OrtRawSession.open(modelFile,
                config.withProfiling(dir.resolve("ort").toString()))) {
            Map<String, OnnxTensor> ort = toOrt(session, feeds);
            try {
                TimingLoop loop = new TimingLoop(session.session(), ort);
                for (int i = 0; i <= options.opProfileRuns(); i++) {
                    loop.runOnce();
                    listener.update(name, "op profile", (i + 1.0) / (options.opProfileRuns() + 1));
                }
            } catch (OrtException e) {
                throw OrtRawSession.runFailure(e);
            } finally {
                OnnxValue.close(ort);
            }
            Path trace = session.endProfiling().orElseThrow();
            return new OrtTraceParser().parse(trace, options.topNodes());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read ONNX Runtime's profile: " + e.getMessage(), e);
        } finally {
            deleteQuietly(dir);
        }
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // A leftover trace in the temp folder harms nothing; the profile itself is complete.
        }
    }
}
