package io.mconv.agent.quantize.advisor;

import io.mconv.agent.quantize.StaticQuantizeOptions;
import io.mconv.agent.quantize.StaticQuantizeResult;
import io.mconv.agent.quantize.StaticQuantizer;
import io.mconv.limits.Limits;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

/**
 * Calibrated static int8, carried out by {@link StaticQuantizer}. Its own evaluation is cut to one sample and no
 * timing, since the evaluator measures every plan alike. The model and calibration folder are read under
 * {@code limits}.
 */
public record StaticPlan(String id, String description, StaticQuantizeOptions options, Limits limits) implements PlanCandidate {

    @Override
    public PlanKind kind() {
        return PlanKind.STATIC_INT8;
    }

    @Override
    public ProducedModel produce(Path source, Path workDir) throws IOException {
        Path out = workDir.resolve(id + ".onnx");
        StaticQuantizeResult r = new StaticQuantizer(limits).quantize(source, out, options.withEvaluation(1, 0));
        return new ProducedModel(r.output(), r.quantizedBytes(), r.quantizedNodes(), r.opCounts(), r.warnings());
    }

    @Override
    public PlanCandidate excluding(Set<String> nodes, String suffix) {
        Set<String> exclude = new HashSet<>(options.exclude());
        exclude.addAll(nodes);
        return new StaticPlan(id + "-" + suffix, description + ", " + nodes.size() + " node(s) kept in float",
                options.withExclude(exclude), limits);
    }
}
