package io.mconv.agent.runtime;

import io.mconv.ir.Tensor;

import java.util.List;
import java.util.Map;

/**
 * A value a runtime returns: a tensor (the usual case), a sequence of tensors, or a map. The variants are plain data
 * so that tests and validation can compare them with {@code equals} (maps) or element by element (tensors).
 */
public sealed interface RuntimeValue {

    record TensorValue(Tensor tensor) implements RuntimeValue {
    }

    /** {@code seq(tensor(...))}, each element converted like a tensor output. */
    record SequenceValue(List<Tensor> elements) implements RuntimeValue {
        public SequenceValue {
            elements = List.copyOf(elements);
        }
    }

    /**
     * {@code map(key, value)} as the runtime hands it over: keys are {@code String} or {@code Long}, values
     * {@code Float}, {@code Double}, {@code Long} or {@code String}.
     */
    record MapValue(Map<Object, Object> entries) implements RuntimeValue {
        public MapValue {
            entries = Map.copyOf(entries);
        }
    }

    /** {@code seq(map(...))}, what ZipMap produces. */
    record MapSequenceValue(List<MapValue> elements) implements RuntimeValue {
        public MapSequenceValue {
            elements = List.copyOf(elements);
        }
    }
}
