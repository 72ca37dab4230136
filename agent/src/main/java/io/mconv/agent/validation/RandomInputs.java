package io.mconv.agent.validation;

import io.mconv.ir.DataType;
import io.mconv.ir.Dim;
import io.mconv.ir.HalfPrecision;
import io.mconv.ir.Shape;
import io.mconv.ir.Tensor;
import io.mconv.ir.ValueType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Seeded random feeds for a model's inputs, for comparing two versions of a model when the user gives no data.
 * Floats are uniform in [-1, 1); integers in [0, 8) so they are valid indices for any embedding or Gather; bools
 * are fair coins. Symbolic or unknown dimensions take the user's {@code --input-shape} or 1.
 */
public final class RandomInputs {

    private final long seed;

    public RandomInputs(long seed) {
        this.seed = seed;
    }

    /**
     * @throws IllegalArgumentException when an override names no input, its rank differs from the model's, or an
     *                                  input is not a tensor of known rank and no override gives its shape
     */
    public Map<String, Tensor> generate(Map<String, ValueType> inputs, Map<String, Shape> overrides) {
        for (String name : overrides.keySet()) {
            if (!inputs.containsKey(name)) {
                throw new IllegalArgumentException("--input-shape names '" + name + "', but the model's inputs are "
                        + inputs.keySet());
            }
        }
        Random random = new Random(seed);
        Map<String, Tensor> feeds = new LinkedHashMap<>();
        for (Map.Entry<String, ValueType> e : inputs.entrySet()) {
            if (!(e.getValue() instanceof ValueType.TensorType t) || t.elemType() == null) {
                throw new IllegalArgumentException("input '" + e.getKey() + "' is " + e.getValue()
                        + "; only tensor inputs can be generated");
            }
            long[] dims = concreteDims(e.getKey(), t.shape(), overrides.get(e.getKey()));
            feeds.put(e.getKey(), tensor(e.getKey(), t.elemType(), dims, random));
        }
        return feeds;
    }

    private static long[] concreteDims(String name, Shape declared, Shape override) {
        if (override != null) {
            if (declared != null && declared.rank() != override.rank()) {
                throw new IllegalArgumentException("--input-shape gives '" + name + "' rank " + override.rank()
                        + ", but the model declares " + declared + " (rank " + declared.rank() + ")");
            }
            declared = override;
        }
        if (declared == null) {
            throw new IllegalArgumentException("input '" + name + "' has unknown rank; give its shape with "
                    + "--input-shape " + name + ":DIMS");
        }
        long[] dims = new long[declared.rank()];
        for (int i = 0; i < dims.length; i++) {
            Dim d = declared.dim(i);
            dims[i] = d.isKnown() ? d.value() : 1;
        }
        return dims;
    }

    private static Tensor tensor(String name, DataType type, long[] dims, Random random) {
        int n = Math.toIntExact(Tensor.elementCount(dims));
        if (type == DataType.STRING) {
            List<byte[]> strings = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                strings.add(("s" + random.nextInt(8)).getBytes(StandardCharsets.UTF_8));
            }
            return Tensor.ofStrings(name, dims, strings);
        }
        ByteBuffer b = ByteBuffer.allocate(Math.toIntExact(type.byteSize(n))).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
            float f = random.nextFloat() * 2 - 1;
            int k = random.nextInt(8);
            switch (type) {
                case FLOAT -> b.putFloat(f);
                case DOUBLE -> b.putDouble(f);
                case FLOAT16 -> b.putShort(HalfPrecision.floatToFloat16(f));
                case BFLOAT16 -> b.putShort(HalfPrecision.floatToBfloat16(f));
                case INT64, UINT64 -> b.putLong(k);
                case INT32, UINT32 -> b.putInt(k);
                case INT16, UINT16 -> b.putShort((short) k);
                case INT8, UINT8 -> b.put((byte) k);
                case BOOL -> b.put((byte) (k & 1));
                default -> throw new IllegalArgumentException("cannot generate random data of type " + type
                        + " for input '" + name + "'");
            }
        }
        b.flip();
        return Tensor.ofRaw(name, type, dims, b);
    }
}
