package io.mconv.agent.runtime.torch;

import ai.djl.engine.Engine;
import io.mconv.ir.Tensor;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The worker process {@link TorchScriptRunner} starts: loads one TorchScript file in libtorch and answers run
 * requests on stdin/stdout in the {@link TorchWire} protocol until told to quit or stdin closes. Runs in its own JVM
 * so that a segfault or hang in native code costs this process, never mconv.
 *
 * <p>Usage (by the runner only): {@code java -cp CLASSPATH io.mconv.agent.runtime.torch.TorchWorkerMain MODEL.pt}.
 * Exit status 0 after a quit or a reported load failure, 2 on a protocol error.
 */
public final class TorchWorkerMain {

    /** libtorch's intra-op thread count; unset for libtorch's default. */
    static final String THREADS_PROPERTY = "mconv.torch.worker.threads";

    private static final int PROTOCOL_ERROR = 2;

    private TorchWorkerMain() {
    }

    public static void main(String[] args) throws IOException {
        // The protocol owns file descriptor 1; Java code that prints (DJL, slf4j fallbacks) goes to stderr instead.
        DataOutputStream out = new DataOutputStream(new BufferedOutputStream(
                new FileOutputStream(FileDescriptor.out), 1 << 16));
        System.setOut(System.err);
        DataInputStream in = new DataInputStream(new BufferedInputStream(System.in, 1 << 16));
        if (args.length != 1) {
            System.err.println("usage: TorchWorkerMain MODEL.pt");
            System.exit(PROTOCOL_ERROR);
        }
        DjlTorchModule module;
        try {
            long start = System.nanoTime();
            Engine engine = DjlTorchModule.engine(Integer.getInteger(THREADS_PROPERTY, 0));
            long engineReady = System.nanoTime();
            module = DjlTorchModule.load(engine, Path.of(args[0]));
            long loaded = System.nanoTime();
            TorchWire.writeFrameStart(out, TorchWire.READY);
            TorchWire.writeString(out, engine.getVersion());
            TorchWire.writeString(out, Engine.getDjlVersion());
            out.writeLong((engineReady - start) / 1_000_000);
            out.writeLong((loaded - engineReady) / 1_000_000);
            out.flush();
        } catch (RuntimeException | LinkageError e) {
            reportFailure(out, "load", e);
            System.exit(0);
            return;
        }
        serve(module, in, out);
        module.close();
        System.exit(0);
    }

    private static void serve(DjlTorchModule module, DataInputStream in, DataOutputStream out) throws IOException {
        WorkerTestHook hook = WorkerTestHook.fromSystemProperties();
        while (true) {
            int kind = in.read();
            if (kind < 0 || kind == TorchWire.QUIT) {
                return;
            }
            if (kind != TorchWire.RUN) {
                System.err.println("mconv torch worker: unknown request " + kind);
                System.exit(PROTOCOL_ERROR);
            }
            List<Tensor> inputs = TorchWire.readTensors(in, "input_");
            hook.beforeRun();
            List<Tensor> outputs;
            try {
                outputs = module.run(inputs);
            } catch (RuntimeException e) {
                // A run the module refuses (wrong shape, unsupported dtype) is an answer, not a reason to exit.
                reportFailure(out, "run", e);
                continue;
            }
            TorchWire.writeFrameStart(out, TorchWire.OUTPUTS);
            TorchWire.writeTensors(out, outputs);
            out.flush();
        }
    }

    private static void reportFailure(DataOutputStream out, String phase, Throwable e) throws IOException {
        TorchWire.writeFrameStart(out, TorchWire.ERROR);
        TorchWire.writeString(out, phase);
        TorchWire.writeString(out, LibtorchMessages.summarize(e));
        out.flush();
    }
}
