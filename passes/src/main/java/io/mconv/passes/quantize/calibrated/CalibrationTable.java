package io.mconv.passes.quantize.calibrated;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** Calibrated ranges by tensor name: what the static quantization passes turn into activation scales. */
public final class CalibrationTable {

    private final Map<String, TensorRange> ranges;

    public CalibrationTable(Map<String, TensorRange> ranges) {
        this.ranges = Collections.unmodifiableMap(new LinkedHashMap<>(ranges));
    }

    public Optional<TensorRange> range(String tensor) {
        return Optional.ofNullable(ranges.get(tensor));
    }

    public Map<String, TensorRange> ranges() {
        return ranges;
    }

    public int size() {
        return ranges.size();
    }
}
