package io.mconv.agent.runtime.worker;

import io.mconv.ir.Tensor;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.function.Function;

/**
 * The child's side of a worker: loads one model in a native runtime, says it is ready, then answers run requests on
 * stdin/stdout in the {@link WorkerWire} protocol until told to quit or stdin closes. Exit status 0 after a quit or a
 * reported load failure, 2 on a protocol error. The runtime-specific parts are a {@link Backend}.
 */
public final class WorkerServer {

    private static final int PROTOCOL_ERROR = 2;

    /** One loaded model. */
    public interface Backend extends AutoCloseable {

        /** Writes the payload of the ready frame (after its kind), which the parent reads back. */
        void writeReady(DataOutputStream out) throws IOException;

        /** Runs the model on positional inputs; a RuntimeException is the runtime refusing this run. */
        List<Tensor> run(List<Tensor> inputs);

        @Override
        void close();
    }

    private WorkerServer() {
    }

    /**
     * Runs the worker: {@code load} gets {@code args} and returns the backend (a RuntimeException or LinkageError is
     * a load failure, reported and not fatal to the parent); {@code summarize} turns failures into one message.
     */
    public static void main(String[] args, Function<String[], Backend> load, Function<Throwable, String> summarize)
            throws IOException {
        // The protocol owns file descriptor 1; Java code that prints (DJL, slf4j fallbacks) goes to stderr instead.
        DataOutputStream out = new DataOutputStream(new BufferedOutputStream(
                new FileOutputStream(FileDescriptor.out), 1 << 16));
        System.setOut(System.err);
        DataInputStream in = new DataInputStream(new BufferedInputStream(System.in, 1 << 16));
        Backend backend;
        try {
            backend = load.apply(args);
            WorkerWire.writeFrameStart(out, WorkerWire.READY);
            backend.writeReady(out);
            out.flush();
        } catch (RuntimeException | LinkageError e) {
            reportFailure(out, "load", summarize.apply(e));
            System.exit(0);
            return;
        }
        serve(backend, in, out, summarize);
        backend.close();
        System.exit(0);
    }

    private static void serve(Backend backend, DataInputStream in, DataOutputStream out,
                              Function<Throwable, String> summarize) throws IOException {
        WorkerTestHook hook = WorkerTestHook.fromSystemProperties();
        while (true) {
            int kind = in.read();
            if (kind < 0 || kind == WorkerWire.QUIT) {
                return;
            }
            if (kind != WorkerWire.RUN) {
                System.err.println("mconv worker: unknown request " + kind);
                System.exit(PROTOCOL_ERROR);
            }
            List<Tensor> inputs = WorkerWire.readTensors(in, "input_");
            hook.beforeRun();
            List<Tensor> outputs;
            try {
                outputs = backend.run(inputs);
            } catch (RuntimeException e) {
                // A run the runtime refuses (wrong shape, unsupported dtype) is an answer, not a reason to exit.
                reportFailure(out, "run", summarize.apply(e));
                continue;
            }
            WorkerWire.writeFrameStart(out, WorkerWire.OUTPUTS);
            WorkerWire.writeTensors(out, outputs);
            out.flush();
        }
    }

    private static void reportFailure(DataOutputStream out, String phase, String message) throws IOException {
        WorkerWire.writeFrameStart(out, WorkerWire.ERROR);
        WorkerWire.writeString(out, phase);
        WorkerWire.writeString(out, message);
        out.flush();
    }
}
