package io.mconv.torch.export;

import java.util.List;
import java.util.Map;

/**
 * How to export: the ONNX opset (13 to 21), the inputs, and symbolic dimensions by input name and axis
 * ({@code --dynamic-axes x:0=batch}).
 */
public record ExportOptions(int opset, List<InputSpec> inputs, Map<String, Map<Integer, String>> dynamicAxes) {

    public static final int DEFAULT_OPSET = 17;
    public static final int MIN_OPSET = 13;
    public static final int MAX_OPSET = 21;

    public ExportOptions {
        if (opset < MIN_OPSET || opset > MAX_OPSET) {
            throw new io.mconv.agent.InvalidOptionException("--opset " + opset + " is not supported for export "
                    + "(accepted: " + MIN_OPSET + " to " + MAX_OPSET + ")");
        }
        inputs = List.copyOf(inputs);
        dynamicAxes = Map.copyOf(dynamicAxes);
    }
}
