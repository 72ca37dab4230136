package io.mconv.torch.archive;

import io.mconv.ir.Tensor;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A tensor restored from an archive: dtype, sizes, strides and offset (in elements) into its storage, which is a
 * read-only little-endian view of the archive's {@code data/N} entry (mapped, never copied). Several tensors may
 * share one storage. The constructor checks what BAD_INPUTS item 15 asks: no negative sizes or strides, and the
 * storage holds every element the view can reach.
 */
public final class TorchTensor {

    private final TorchDType dtype;
    private final long[] sizes;
    private final long[] strides;
    private final long storageOffset;
    private final ByteBuffer storage;
    private final String storageKey;
    private final boolean requiresGrad;

    public TorchTensor(TorchDType dtype, long[] sizes, long[] strides, long storageOffset, ByteBuffer storage,
                       String storageKey, boolean requiresGrad) {
        if (sizes.length != strides.length) {
            throw new IllegalArgumentException("tensor has " + sizes.length + " sizes but " + strides.length
                    + " strides");
        }
        if (storageOffset < 0) {
            throw new IllegalArgumentException("negative storage offset " + storageOffset);
        }
        long maxIndex = storageOffset;
        long count = 1;
        for (int i = 0; i < sizes.length; i++) {
            if (sizes[i] < 0) {
                throw new IllegalArgumentException("negative size in " + Arrays.toString(sizes));
            }
            if (strides[i] < 0) {
                throw new IllegalArgumentException("negative stride in " + Arrays.toString(strides));
            }
            count = Math.multiplyExact(count, sizes[i]);
            if (sizes[i] > 0) {
                maxIndex = Math.addExact(maxIndex, Math.multiplyExact(sizes[i] - 1, strides[i]));
            }
        }
        long needBytes = count == 0 ? 0 : Math.multiplyExact(maxIndex + 1, dtype.elementSize());
        if (needBytes > storage.capacity()) {
            throw new IllegalArgumentException("storage " + storageKey + " has " + storage.capacity()
                    + " bytes but the tensor needs " + needBytes);
        }
        this.dtype = dtype;
        this.sizes = sizes.clone();
        this.strides = strides.clone();
        this.storageOffset = storageOffset;
        this.storage = storage.asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
        this.storageKey = storageKey;
        this.requiresGrad = requiresGrad;
    }

    public TorchDType dtype() {
        return dtype;
    }

    public long[] sizes() {
        return sizes.clone();
    }

    public long[] strides() {
        return strides.clone();
    }

    public long storageOffset() {
        return storageOffset;
    }

    /** The archive's storage key ({@code "0"} for {@code data/0}). */
    public String storageKey() {
        return storageKey;
    }

    public boolean requiresGrad() {
        return requiresGrad;
    }

    /** The same view with another requires_grad flag ({@code _rebuild_parameter} wraps a rebuilt tensor). */
    public TorchTensor withRequiresGrad(boolean flag) {
        return flag == requiresGrad ? this
                : new TorchTensor(dtype, sizes, strides, storageOffset, storage, storageKey, flag);
    }

    public long elementCount() {
        long n = 1;
        for (long s : sizes) {
            n = Math.multiplyExact(n, s);
        }
        return n;
    }

    /** Row-major contiguous (strides are the products of the later sizes; size-1 dims may have any stride). */
    public boolean isContiguous() {
        long expected = 1;
        for (int i = sizes.length - 1; i >= 0; i--) {
            if (sizes[i] != 1 && strides[i] != expected) {
                return false;
            }
            expected *= sizes[i];
        }
        return true;
    }

    /**
     * The tensor as an IR initializer. A contiguous tensor aliases its storage (no copy); a strided one is
     * gathered into a new heap buffer.
     *
     * @throws IllegalStateException when ONNX has no type for the dtype
     */
    public Tensor toIrTensor(String name) {
        var onnx = dtype.onnxType().orElseThrow(() -> new IllegalStateException("tensor " + name + " has dtype "
                + dtype + ", which ONNX cannot represent"));
        int es = dtype.elementSize();
        long count = elementCount();
        if (isContiguous()) {
            ByteBuffer view = storage.duplicate();
            int start = Math.toIntExact(storageOffset * es);
            view.position(start).limit(Math.toIntExact(start + count * es));
            return Tensor.ofRaw(name, onnx, sizes, view.slice().order(ByteOrder.LITTLE_ENDIAN));
        }
        ByteBuffer out = ByteBuffer.allocate(Math.toIntExact(count * es)).order(ByteOrder.LITTLE_ENDIAN);
        long[] index = new long[sizes.length];
        for (long k = 0; k < count; k++) {
            long element = storageOffset;
            for (int d = 0; d < sizes.length; d++) {
                element += index[d] * strides[d];
            }
            int from = Math.toIntExact(element * es);
            for (int b = 0; b < es; b++) {
                out.put(storage.get(from + b));
            }
            for (int d = sizes.length - 1; d >= 0; d--) {
                if (++index[d] < sizes[d]) {
                    break;
                }
                index[d] = 0;
            }
        }
        out.flip();
        return Tensor.ofRaw(name, onnx, sizes, out);
    }

    @Override
    public String toString() {
        return "tensor(" + dtype + ", " + Arrays.toString(sizes) + ")";
    }
}
