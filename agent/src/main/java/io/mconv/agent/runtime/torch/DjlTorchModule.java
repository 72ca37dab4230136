package io.mconv.agent.runtime.torch;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValue;
import ai.djl.pytorch.jni.JniUtils;
import io.mconv.ir.DataType;
import io.mconv.ir.Tensor;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A TorchScript file loaded in libtorch through DJL's PyTorch engine: positional IR tensors in, the module's
 * outputs flattened to IR tensors out (tuples and lists depth-first in order, as torch.onnx.export flattens them).
 * Lives only in the worker process: a libtorch crash here kills the worker, never mconv.
 */
final class DjlTorchModule implements AutoCloseable {

    private final PtNDManager manager;
    private final PtSymbolBlock block;

    private DjlTorchModule(PtNDManager manager, PtSymbolBlock block) {
        this.manager = manager;
        this.block = block;
    }

    /**
     * Loads the native engine (extracting libtorch to DJL's cache on first use).
     *
     * @param threads intra-op threads, 0 for libtorch's default
     */
    static Engine engine(int threads) {
        Engine engine = Engine.getEngine("PyTorch");
        if (threads > 0) {
            JniUtils.setNumThreads(threads);
            // Inter-op parallelism only helps graphs with independent branches forked explicitly; one is plenty.
            JniUtils.setNumInteropThreads(1);
        }
        // Inference only: no autograd graph is recorded, which also keeps outputs free of grad_fn.
        JniUtils.setGradMode(false);
        // The profiling graph executor re-optimizes the graph after its first runs; the plain executor runs the
        // same graph every time, so repeated validation runs compute the same numbers and the first is not slower.
        JniUtils.setGraphExecutorOptimize(false);
        return engine;
    }

    static DjlTorchModule load(Engine engine, Path file) {
        PtNDManager manager = (PtNDManager) engine.newBaseManager();
        try {
            PtSymbolBlock block = JniUtils.loadModule(manager, file.toAbsolutePath(), false, new String[0],
                    new String[0], false);
            return new DjlTorchModule(manager, block);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /** Runs {@code forward} on the inputs in order; output tensors are named {@code output_N}. */
    List<Tensor> run(List<Tensor> inputs) {
        try (NDManager runManager = manager.newSubManager()) {
            PtNDManager pt = (PtNDManager) runManager;
            IValue[] args = new IValue[inputs.size()];
            try {
                for (int i = 0; i < args.length; i++) {
                    args[i] = IValue.from(toNd(pt, inputs.get(i)));
                }
                List<Tensor> out = new ArrayList<>();
                try (IValue result = block.forward(args)) {
                    flatten(result, pt, out);
                }
                return out;
            } finally {
                for (IValue v : args) {
                    if (v != null) {
                        v.close();
                    }
                }
            }
        }
    }

    private static PtNDArray toNd(PtNDManager manager, Tensor t) {
        ByteBuffer raw = t.rawBytes();
        // libtorch reads native order; the runner refuses big-endian machines, so the IR's little-endian bytes fit.
        ByteBuffer direct = ByteBuffer.allocateDirect(raw.remaining()).order(ByteOrder.nativeOrder());
        direct.put(raw).flip();
        return manager.create(direct, new Shape(t.dims()), DjlDataTypes.toDjl(t.dataType()));
    }

    private static void flatten(IValue v, PtNDManager manager, List<Tensor> out) {
        String name = "output_" + out.size();
        if (v.isTensor()) {
            out.add(toTensor(name, v.toTensor(manager)));
        } else if (v.isTuple()) {
            flattenAll(v.toIValueTuple(), manager, out);
        } else if (v.isList()) {
            flattenAll(v.toIValueArray(), manager, out);
        } else if (v.isLong()) {
            out.add(Tensor.ofLongs(name, new long[0], v.toLong()));
        } else if (v.isDouble()) {
            out.add(Tensor.ofDoubles(name, new long[0], v.toDouble()));
        } else if (v.isBoolean()) {
            out.add(Tensor.ofRaw(name, DataType.BOOL, new long[0],
                    ByteBuffer.wrap(new byte[] {(byte) (v.toBoolean() ? 1 : 0)})));
        } else {
            throw new IllegalArgumentException("the module returned a " + v.getType() + " as output " + out.size()
                    + "; only tensors, numbers and tuples or lists of them can be compared with ONNX outputs");
        }
    }

    private static void flattenAll(IValue[] elements, PtNDManager manager, List<Tensor> out) {
        try {
            for (IValue e : elements) {
                flatten(e, manager, out);
            }
        } finally {
            for (IValue e : elements) {
                e.close();
            }
        }
    }

    private static Tensor toTensor(String name, PtNDArray nd) {
        DataType type = DjlDataTypes.fromDjl(nd.getDataType());
        long[] dims = nd.getShape().getShape();
        // A copy (not a view of libtorch's storage): also makes transposed or sliced outputs contiguous.
        ByteBuffer bytes = nd.toByteBuffer(false).order(ByteOrder.nativeOrder());
        byte[] copy = new byte[bytes.remaining()];
        bytes.get(copy);
        return Tensor.ofRaw(name, type, dims, ByteBuffer.wrap(copy).order(ByteOrder.LITTLE_ENDIAN));
    }

    @Override
    public void close() {
        block.close();
        manager.close();
    }
}
