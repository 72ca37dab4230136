package io.mconv.agent.quantize.advisor;

import io.mconv.agent.quantize.QuantizeOptions;
import io.mconv.agent.quantize.QuantizeResult;
import io.mconv.agent.quantize.Quantizer;
import io.mconv.limits.Limits;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A plan {@link Quantizer} carries out: dynamic int8, weight-only or float16. The quantizer's own accuracy gate and
 * timing are off; the evaluator measures every plan the same way instead. The model is read under {@code limits}.
 */
public record QuantizerPlan(String id, String description, PlanKind kind, QuantizeOptions options, Limits limits)
        implements PlanCandidate {

    @Override
    public ProducedModel produce(Path source, Path workDir) throws IOException {
        Path out = workDir.resolve(id + ".onnx");
        QuantizeResult r = new Quantizer(limits).quantize(source, out, options.withValidate(false).withLatencyRuns(0));
        return new ProducedModel(r.written().modelFile(), r.outputBytes(), r.passes().totalRewrites(),
                r.passes().opsAfter(), r.notes());
    }

    @Override
    public PlanCandidate excluding(Set<String> nodes, String suffix) {
        List<String> exclude = new ArrayList<>(options.exclude());
        exclude.addAll(nodes);
        return new QuantizerPlan(id + "-" + suffix, description + ", " + nodes.size() + " node(s) kept in float",
                kind, options.withExclude(exclude), limits);
    }
}
