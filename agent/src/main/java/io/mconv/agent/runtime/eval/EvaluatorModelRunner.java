package io.mconv.agent.runtime.eval;

import io.mconv.agent.runtime.ModelRunner;
import io.mconv.agent.runtime.RuntimeFailureException;
import io.mconv.agent.runtime.RuntimeValue;
import io.mconv.eval.EvaluationException;
import io.mconv.eval.Evaluator;
import io.mconv.eval.UnsupportedEvaluationException;
import io.mconv.ir.Model;
import io.mconv.ir.Tensor;
import io.mconv.ir.Value;
import io.mconv.ir.ValueType;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * mconv's reference evaluator behind the runner interface. It is the reference when ONNX Runtime has no kernel for
 * a source model's operator versions (the very models {@code mconv check} sends to {@code convert --opset}): the
 * source runs here, the converted model in ORT, and the outputs are compared as usual. Small models only; the
 * evaluator computes in double without vectorization.
 */
public final class EvaluatorModelRunner implements ModelRunner {

    private final Model model;
    private final AutoCloseable resources;
    private final Evaluator evaluator = new Evaluator();

    /** @param resources what backs the model's tensors (a loaded file's mappings), released on close */
    public EvaluatorModelRunner(Model model, AutoCloseable resources) {
        this.model = model;
        this.resources = resources;
    }

    @Override
    public String describe() {
        return "mconv reference evaluator";
    }

    @Override
    public Map<String, ValueType> inputs() {
        Map<String, ValueType> out = new LinkedHashMap<>();
        for (Value v : model.graph().inputs()) {
            if (!v.isInitializer()) {
                out.put(v.name(), v.type());
            }
        }
        return out;
    }

    @Override
    public Map<String, ValueType> outputs() {
        Map<String, ValueType> out = new LinkedHashMap<>();
        model.graph().outputs().forEach(v -> out.put(v.name(), v.type()));
        return out;
    }

    @Override
    public Map<String, Tensor> run(Map<String, Tensor> feeds, Collection<String> outputNames) {
        Map<String, Tensor> all;
        try {
            all = evaluator.run(model, feeds);
        } catch (UnsupportedEvaluationException | EvaluationException e) {
            throw new RuntimeFailureException("the reference evaluator cannot run the model: " + e.getMessage(), null,
                    e);
        }
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (String name : outputNames) {
            out.put(name, all.get(name));
        }
        return out;
    }

    @Override
    public Map<String, RuntimeValue> runValues(Map<String, Tensor> feeds, Collection<String> outputNames) {
        Map<String, RuntimeValue> out = new LinkedHashMap<>();
        run(feeds, outputNames).forEach((name, t) -> out.put(name, new RuntimeValue.TensorValue(t)));
        return out;
    }

    @Override
    public void close() {
        try {
            resources.close();
        } catch (Exception ignored) {
            // Releasing mappings of a file only read cannot lose anything.
        }
    }
}
