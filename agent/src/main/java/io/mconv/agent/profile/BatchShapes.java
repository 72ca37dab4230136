package io.mconv.agent.profile;

import io.mconv.agent.InvalidOptionException;
import io.mconv.ir.Dim;
import io.mconv.ir.Shape;
import io.mconv.ir.ValueType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The input shapes for one batch size: every input whose declared first dimension is symbolic (or unknown) gets
 * the batch size there; the rest of its dimensions come from the user's {@code --input-shape} or stay as declared
 * (remaining symbolic ones become 1 when the inputs are generated). Inputs with a fixed first dimension are left
 * alone. A model with no symbolic first dimension at all cannot be batched, and says so.
 */
public final class BatchShapes {

    private final String modelName;
    private final Map<String, ValueType> inputs;
    private final Map<String, Shape> userShapes;

    /**
     * @param inputs     the model's graph inputs (initializers excluded), as the runtime declares them
     * @param userShapes the user's {@code --input-shape} values by input name
     */
    public BatchShapes(String modelName, Map<String, ValueType> inputs, Map<String, Shape> userShapes) {
        this.modelName = modelName;
        this.inputs = inputs;
        this.userShapes = userShapes;
    }

    /** The inputs whose first dimension --batch sets. */
    public List<String> batchedInputs() {
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, ValueType> e : inputs.entrySet()) {
            if (e.getValue() instanceof ValueType.TensorType t && t.shape() != null && t.shape().rank() > 0
                    && !t.shape().dim(0).isKnown()) {
                out.add(e.getKey());
            }
        }
        return out;
    }

    /**
     * The shape overrides for a run at {@code batch} (null: the user's shapes unchanged).
     *
     * @throws InvalidOptionException when no input has a symbolic first dimension, or the user fixed the first
     *                                dimension of a batched input with --input-shape
     */
    public Map<String, Shape> forBatch(Integer batch) {
        Map<String, Shape> out = new LinkedHashMap<>(userShapes);
        if (batch == null) {
            return out;
        }
        if (batch < 1) {
            throw new InvalidOptionException("--batch " + batch + ": batch sizes are 1 or more");
        }
        List<String> batched = batchedInputs();
        if (batched.isEmpty()) {
            throw new InvalidOptionException("--batch " + batch + ": " + modelName + " has no input with a symbolic "
                    + "first dimension, so its batch size is fixed (inputs: " + describeInputs() + "). Leave --batch "
                    + "out, or export the model with a dynamic batch axis");
        }
        for (String name : batched) {
            Shape declared = ((ValueType.TensorType) inputs.get(name)).shape();
            Shape base = userShapes.getOrDefault(name, declared);
            if (base.rank() == 0) {
                continue;
            }
            if (userShapes.containsKey(name) && base.dim(0).isKnown()) {
                throw new InvalidOptionException("--input-shape " + name + ":" + base + " fixes the first dimension "
                        + "that --batch sets; write it as " + name + ":" + withFirst(base, Dim.symbolic("batch")));
            }
            out.put(name, withFirst(base, Dim.of(batch)));
        }
        return out;
    }

    private static Shape withFirst(Shape s, Dim first) {
        List<Dim> dims = new ArrayList<>(s.dims());
        dims.set(0, first);
        return new Shape(dims);
    }

    private String describeInputs() {
        return inputs.entrySet().stream().map(e -> e.getKey() + " " + e.getValue())
                .collect(Collectors.joining(", "));
    }
}
