package io.mconv.agent.bench;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * The reference for bench/profile-overhead.sh: the plainest ONNX Runtime Java timing loop, written only against
 * ORT's API (no mconv code), with the session settings mconv profile uses (all graph optimizations, arena and
 * memory pattern on, the given intra-op threads). Feeds are random floats; symbolic dimensions are 1. Prints the
 * median latency in milliseconds on the last line.
 *
 * <p>Arguments: MODEL ITERATIONS WARMUP THREADS.
 */
public final class PlainOrtLoop {

    private PlainOrtLoop() {
    }

    public static void main(String[] args) throws Exception {
        String model = args[0];
        int iterations = Integer.parseInt(args[1]);
        int warmup = Integer.parseInt(args[2]);
        int threads = Integer.parseInt(args[3]);
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions so = new OrtSession.SessionOptions()) {
            so.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            if (threads > 0) {
                so.setIntraOpNumThreads(threads);
            }
            try (OrtSession session = env.createSession(model, so)) {
                Map<String, OnnxTensor> feeds = new HashMap<>();
                Random random = new Random(1);
                for (Map.Entry<String, NodeInfo> e : session.getInputInfo().entrySet()) {
                    TensorInfo info = (TensorInfo) e.getValue().getInfo();
                    long[] shape = info.getShape().clone();
                    long n = 1;
                    for (int i = 0; i < shape.length; i++) {
                        shape[i] = shape[i] < 0 ? 1 : shape[i];
                        n *= shape[i];
                    }
                    float[] data = new float[Math.toIntExact(n)];
                    for (int i = 0; i < data.length; i++) {
                        data[i] = random.nextFloat() * 2 - 1;
                    }
                    feeds.put(e.getKey(), OnnxTensor.createTensor(env, FloatBuffer.wrap(data), shape));
                }
                for (int i = 0; i < warmup; i++) {
                    session.run(feeds).close();
                }
                long[] nanos = new long[iterations];
                for (int i = 0; i < iterations; i++) {
                    long t0 = System.nanoTime();
                    try (OrtSession.Result r = session.run(feeds)) {
                        // the outputs are released before the clock stops, as every real caller must
                    }
                    nanos[i] = System.nanoTime() - t0;
                }
                Arrays.sort(nanos);
                double median = iterations % 2 == 1 ? nanos[iterations / 2]
                        : (nanos[iterations / 2 - 1] + nanos[iterations / 2]) / 2.0;
                System.out.printf(Locale.ROOT, "%.6f%n", median / 1e6);
                feeds.values().forEach(OnnxTensor::close);
            }
        }
    }
}
