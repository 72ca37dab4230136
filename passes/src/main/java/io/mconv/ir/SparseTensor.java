package io.mconv.ir;

import java.util.Arrays;
import java.util.Objects;

/**
 * A sparse constant: the non-default values ([NNZ]), their indices ([NNZ] linear or [NNZ, rank] coordinates) and the
 * dense shape. The name is the values tensor's name, as ONNX defines it.
 */
public record SparseTensor(Tensor values, Tensor indices, long[] dims) {

    public SparseTensor {
        Objects.requireNonNull(values, "values");
        Objects.requireNonNull(indices, "indices");
        dims = dims.clone();
        Tensor.elementCount(dims);
    }

    public String name() {
        return values.name();
    }

    @Override
    public long[] dims() {
        return dims.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SparseTensor s && values.contentEquals(s.values) && indices.contentEquals(s.indices)
                && Arrays.equals(dims, s.dims);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(dims);
    }
}
