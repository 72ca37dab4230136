package io.mconv.agent.runtime;

import io.mconv.ir.DataType;

/**
 * A tensor whose element type the runtime's API cannot take or give back (for ONNX Runtime's Java API: complex,
 * float8, 4-bit, and as feeds the unsigned 16/32/64-bit types). Names the value and the type so the user knows
 * which input to change.
 */
public class UnsupportedTensorTypeException extends RuntimeException {

    private final String valueName;
    private final DataType dataType;

    public UnsupportedTensorTypeException(String valueName, DataType dataType, String reason) {
        super("'" + valueName + "' has type " + dataType + ", which " + reason);
        this.valueName = valueName;
        this.dataType = dataType;
    }

    public String valueName() {
        return valueName;
    }

    public DataType dataType() {
        return dataType;
    }
}
