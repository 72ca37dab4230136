package io.mconv.agent.runtime.torch;

import ai.djl.engine.Engine;
import io.mconv.agent.runtime.worker.WorkerServer;
import io.mconv.agent.runtime.worker.WorkerWire;
import io.mconv.ir.Tensor;

import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The worker process {@link TorchScriptRunner} starts: loads one TorchScript file in libtorch and answers run
 * requests ({@link WorkerServer}). Runs in its own JVM so that a segfault or hang in native code costs this process,
 * never mconv. Ready payload: STRING libtorch version, STRING DJL version, long engine millis, long load millis.
 *
 * <p>Usage (by the runner only): {@code java -cp CLASSPATH io.mconv.agent.runtime.torch.TorchWorkerMain MODEL.pt}.
 */
public final class TorchWorkerMain {

    /** libtorch's intra-op thread count; unset for libtorch's default. */
    static final String THREADS_PROPERTY = "mconv.torch.worker.threads";

    private TorchWorkerMain() {
    }

    public static void main(String[] args) throws IOException {
        WorkerServer.main(args, TorchWorkerMain::load, LibtorchMessages::summarize);
    }

    private static WorkerServer.Backend load(String[] args) {
        if (args.length != 1) {
            throw new IllegalArgumentException("usage: TorchWorkerMain MODEL.pt");
        }
        long start = System.nanoTime();
        Engine engine = DjlTorchModule.engine(Integer.getInteger(THREADS_PROPERTY, 0));
        long engineReady = System.nanoTime();
        DjlTorchModule module = DjlTorchModule.load(engine, Path.of(args[0]));
        long loaded = System.nanoTime();
        return new WorkerServer.Backend() {
            @Override
            public void writeReady(DataOutputStream out) throws IOException {
                WorkerWire.writeString(out, engine.getVersion());
                WorkerWire.writeString(out, Engine.getDjlVersion());
                out.writeLong((engineReady - start) / 1_000_000);
                out.writeLong((loaded - engineReady) / 1_000_000);
            }

            @Override
            public List<Tensor> run(List<Tensor> inputs) {
                return module.run(inputs);
            }

            @Override
            public void close() {
                module.close();
            }
        };
    }
}
