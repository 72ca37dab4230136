package io.mconv.ir;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** Names the quantization parameter tensors (scale, zero point) of one tensor of a graph. */
public record QuantizationAnnotation(String tensorName, Map<String, String> quantParameterTensorNames) {

    public QuantizationAnnotation {
        quantParameterTensorNames = Collections.unmodifiableMap(new LinkedHashMap<>(quantParameterTensorNames));
    }
}
