package io.mconv.agent.runtime.ort;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Which execution providers a session gets: the requested ones (in priority order) that this build has, always
 * ending with cpu, because ORT places every node the others do not take on its CPU provider anyway. A pure function
 * of its arguments, so it is tested without a GPU.
 *
 * @param chosen   providers to register, in priority order, cpu last unless requested earlier
 * @param warnings one line per requested provider that was dropped for fallback
 */
public record ProviderSelection(List<ExecutionProvider> chosen, List<String> warnings) {

    public ProviderSelection {
        chosen = List.copyOf(chosen);
        warnings = List.copyOf(warnings);
    }

    /**
     * @param requested     providers in priority order; empty means cpu
     * @param available     providers this ONNX Runtime build has ({@link ExecutionProvider#available()})
     * @param allowFallback when a requested provider is missing: true drops it with a warning, false throws
     * @throws ProviderUnavailableException for the first missing provider when fallback is not allowed
     */
    public static ProviderSelection select(List<ExecutionProvider> requested, Set<ExecutionProvider> available,
                                           boolean allowFallback) {
        List<ExecutionProvider> chosen = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        for (ExecutionProvider p : requested) {
            if (chosen.contains(p)) {
                continue;
            }
            if (p == ExecutionProvider.CPU || available.contains(p)) {
                chosen.add(p);
            } else if (allowFallback) {
                warnings.add(ProviderUnavailableException.message(p, available)
                        .replace(" Or allow fallback to run on cpu.", " Falling back to cpu."));
            } else {
                throw new ProviderUnavailableException(p, available);
            }
        }
        if (!chosen.contains(ExecutionProvider.CPU)) {
            chosen.add(ExecutionProvider.CPU);
        }
        return new ProviderSelection(chosen, warnings);
    }
}
