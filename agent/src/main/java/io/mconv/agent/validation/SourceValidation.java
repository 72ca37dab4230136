package io.mconv.agent.validation;

import io.mconv.agent.runtime.torch.TorchStartup;
import io.mconv.ir.ValueType;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The outcome of {@link SourceValidator}: which runtimes ran what, on which feeds, and the per-output comparison.
 *
 * @param feeds         the inputs both models got, with their concrete shapes, in the target's input order
 * @param inputsOrigin  {@code random (seed 0)} or {@code input_N.pb files in DIR}
 * @param torchStartup  what starting libtorch cost, or null when the source is ONNX
 * @param referenceRun  the source's run (the worker's answer time for TorchScript)
 * @param candidateRun  the target's run in ONNX Runtime
 */
public record SourceValidation(Path source, Path target, SourceKind sourceKind, ValidationReport report,
                               Map<String, ValueType> feeds, String inputsOrigin, TorchStartup torchStartup,
                               Duration referenceRun, Duration candidateRun) {

    public SourceValidation {
        feeds = Collections.unmodifiableMap(new LinkedHashMap<>(feeds));
    }

    public boolean passed() {
        return report.passed();
    }
}
