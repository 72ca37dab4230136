package io.mconv.agent.runtime;

import io.mconv.ir.Tensor;
import io.mconv.ir.ValueType;

import java.util.Collection;
import java.util.Map;

/**
 * One loaded model in one runtime (ONNX Runtime, later libtorch or our reference evaluator), fed and fetched with IR
 * {@link Tensor}s so that callers (validation, optimizer safety checks, the profiler) never see a runtime's own
 * value classes. Implementations hold native resources: close them.
 */
public interface ModelRunner extends AutoCloseable {

    /** A short name for reports: {@code onnxruntime 1.29.0 (cpu)}. */
    String describe();

    /** The graph inputs the runtime expects (initializers excluded), in model order. */
    Map<String, ValueType> inputs();

    /** The graph outputs, in model order. */
    Map<String, ValueType> outputs();

    /**
     * Runs the model and returns every output, in model order.
     *
     * @throws UnsupportedTensorTypeException when a feed's dtype cannot be handed to the runtime
     * @throws RuntimeFailureException        when the runtime refuses to run the model with these feeds
     * @throws IllegalArgumentException       when a feed is missing or not an input of the model
     */
    default Map<String, Tensor> run(Map<String, Tensor> feeds) {
        return run(feeds, outputs().keySet());
    }

    /** Runs the model computing only {@code outputNames}; returned in the order given. */
    Map<String, Tensor> run(Map<String, Tensor> feeds, Collection<String> outputNames);

    /**
     * Like {@link #run(Map, Collection)} but also returns outputs that are not tensors (sequences, maps) as
     * {@link RuntimeValue}s; {@link #run} refuses those.
     */
    Map<String, RuntimeValue> runValues(Map<String, Tensor> feeds, Collection<String> outputNames);

    /** Releases native resources; never throws. */
    @Override
    void close();
}
