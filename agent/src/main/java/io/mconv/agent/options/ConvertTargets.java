package io.mconv.agent.options;

import io.mconv.agent.runtime.ort.ExecutionProvider;
import io.mconv.passes.Target;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code --target cpu,gpu[,ort|portable]}: the devices the result must run on (validated on each, through ONNX
 * Runtime's cpu and CUDA providers) and, optionally, the pass target of the optimizer and quantizer.
 *
 * @param passTarget null when not given: each tool keeps its default
 */
public record ConvertTargets(List<ExecutionProvider> providers, Target passTarget) {

    public static ConvertTargets parse(List<String> values) {
        List<ExecutionProvider> providers = new ArrayList<>();
        Target pass = null;
        for (String v : values) {
            switch (v.trim().toLowerCase(Locale.ROOT)) {
                case "cpu" -> providers.add(ExecutionProvider.CPU);
                case "gpu", "cuda" -> providers.add(ExecutionProvider.CUDA);
                case "ort" -> pass = Target.ORT;
                case "portable" -> pass = Target.PORTABLE;
                default -> throw new IllegalArgumentException("unknown target '" + v + "' (accepted: cpu, gpu, "
                        + "ort, portable)");
            }
        }
        if (providers.isEmpty() || !providers.contains(ExecutionProvider.CPU)) {
            providers.add(0, ExecutionProvider.CPU);
        }
        return new ConvertTargets(providers, pass);
    }
}
