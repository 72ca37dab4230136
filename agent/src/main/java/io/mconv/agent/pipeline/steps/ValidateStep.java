package io.mconv.agent.pipeline.steps;

import io.mconv.agent.pipeline.Diagnostic;
import io.mconv.agent.pipeline.StepContext;
import io.mconv.agent.pipeline.StepInput;
import io.mconv.agent.pipeline.StepKind;
import io.mconv.agent.pipeline.StepOutcome;
import io.mconv.agent.pipeline.Tool;
import io.mconv.agent.runtime.ComparisonResult;
import io.mconv.agent.runtime.Tolerance;
import io.mconv.agent.runtime.ort.ExecutionProvider;
import io.mconv.agent.validation.SourceValidation;
import io.mconv.agent.validation.SourceValidator;
import io.mconv.agent.validation.ValidationFailedException;
import io.mconv.ir.Shape;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The final model against the user's source (libtorch for a .pt, the original ONNX otherwise), once per execution
 * provider of {@code --target}. A float chain must stay within the tolerances; a quantized chain is judged by the
 * cosine of every output, the bar its quantizer kept, since int8 results never meet float tolerances.
 *
 * <p>The accuracy drop it reports is, per output, 1 − cosine against the source, and the worst output's value
 * over all providers.
 */
public final class ValidateStep implements Tool {

    private final List<ExecutionProvider> providers;
    private final List<String> missingProviders;
    private final Map<String, Shape> inputShapes;
    private final Tolerance tolerance;
    private final Double minCosine;

    /**
     * @param providers        the providers to validate on (available ones only)
     * @param missingProviders one line per requested provider this build lacks, reported as warnings
     * @param tolerance        a fixed tolerance for a float chain, or null for the per-precision defaults
     * @param minCosine        for a quantized chain the cosine every output must keep; null for a float chain
     */
    public ValidateStep(List<ExecutionProvider> providers, List<String> missingProviders,
                        Map<String, Shape> inputShapes, Tolerance tolerance, Double minCosine) {
        this.providers = List.copyOf(providers);
        this.missingProviders = List.copyOf(missingProviders);
        this.inputShapes = Map.copyOf(inputShapes);
        this.tolerance = tolerance;
        this.minCosine = minCosine;
    }

    @Override
    public String name() {
        return "validate";
    }

    @Override
    public String description() {
        return "compare with the source on " + providers.stream().map(ExecutionProvider::userName)
                .collect(Collectors.joining(", ")) + " (" + criterion() + ")";
    }

    private String criterion() {
        return minCosine == null ? "within " + (tolerance == null ? "the per-precision tolerances" : tolerance)
                : "cosine >= " + minCosine + " per output";
    }

    @Override
    public StepKind category() {
        return StepKind.VALIDATE;
    }

    @Override
    public Map<String, String> options() {
        Map<String, String> o = new LinkedHashMap<>();
        o.put("providers", providers.stream().map(ExecutionProvider::userName).collect(Collectors.joining(",")));
        // part of the key, so a run that asked for a missing GPU reports its warning even when served from the cache
        o.put("unavailable", String.join("; ", missingProviders));
        o.put("input_shapes", new java.util.TreeMap<>(inputShapes).toString());
        o.put("criterion", criterion());
        return o;
    }

    @Override
    public StepOutcome run(StepInput input, StepContext context) {
        List<Map<String, Object>> perProvider = new ArrayList<>();
        double worstDrop = 0;
        for (ExecutionProvider p : providers) {
            SourceValidator validator = new SourceValidator(SourceValidator.Options.defaults()
                    .withProviders(List.of(p)).withInputShapes(inputShapes)
                    .withTolerance(minCosine == null ? tolerance : Tolerance.INT8), context.limits());
            SourceValidation v = validator.validate(context.source(), input.model());
            double drop = accuracyDrop(v.report().outputs());
            worstDrop = Math.max(worstDrop, drop);
            String failure = failure(v);
            if (failure != null) {
                throw new ValidationFailedException(input.model().getFileName() + " on " + p.userName()
                        + " computes something else than " + context.source() + " (" + failure + ")", v.report());
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("provider", p.userName());
            m.put("passed", true);
            m.put("reference", v.report().reference());
            m.put("accuracy_drop", drop);
            m.put("outputs", Figures.outputs(v.report().outputs()));
            perProvider.add(m);
        }
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("passed", true);
        figures.put("criterion", criterion());
        figures.put("accuracy_drop", worstDrop);
        figures.put("providers", perProvider);
        List<Diagnostic> diagnostics = new ArrayList<>();
        for (String missing : missingProviders) {
            diagnostics.add(Diagnostic.warning("provider-unavailable", missing));
        }
        return new StepOutcome(null, figures, diagnostics);
    }

    /** Why this validation fails under the step's criterion, or null when it passes. */
    private String failure(SourceValidation v) {
        if (minCosine == null) {
            return v.passed() ? null : v.report().firstFailure();
        }
        for (ComparisonResult c : v.report().outputs()) {
            if (!(c.cosineSimilarity() >= minCosine)) {
                return c.name() + ": cosine " + c.cosineSimilarity() + " < " + minCosine;
            }
        }
        return null;
    }

    static double accuracyDrop(List<ComparisonResult> outputs) {
        double worst = 0;
        for (ComparisonResult c : outputs) {
            double cos = c.cosineSimilarity();
            if (Double.isNaN(cos)) {
                continue; // strings: no cosine, equality is what the tolerance checked
            }
            worst = Math.max(worst, 1 - cos);
        }
        return worst;
    }
}
