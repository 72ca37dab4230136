package io.mconv.torch.export;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;

/**
 * Symbolics keyed by qualified operator name ({@code aten::_convolution}) and the lowest ONNX opset each
 * registration needs; lookup picks the highest registration not above the target opset, as torch.onnx's registry
 * does. Users can add their own before exporting.
 */
public final class SymbolicRegistry {

    /** One registered symbolic. */
    public record Registration(String name, int sinceOpset, Signature signature, Symbolic symbolic) {
    }

    private final Map<String, List<Registration>> byName = new TreeMap<>();

    /**
     * Registers {@code symbolic} for {@code name} from {@code sinceOpset} on.
     *
     * @param signature the parameter names and defaults, e.g. {@code "self, other, alpha=1"}
     */
    public SymbolicRegistry register(String name, int sinceOpset, String signature, Symbolic symbolic) {
        List<Registration> list = byName.computeIfAbsent(name, k -> new ArrayList<>());
        list.removeIf(r -> r.sinceOpset() == sinceOpset);
        list.add(new Registration(name, sinceOpset, Signature.parse(signature), symbolic));
        list.sort(Comparator.comparingInt(Registration::sinceOpset));
        return this;
    }

    /** The registration to use at {@code opset}, if any. */
    public Optional<Registration> lookup(String name, int opset) {
        Registration best = null;
        for (Registration r : byName.getOrDefault(name, List.of())) {
            if (r.sinceOpset() <= opset) {
                best = r;
            }
        }
        return Optional.ofNullable(best);
    }

    /** The lowest opset at which {@code name} has a symbolic; empty when none. */
    public OptionalInt lowestOpset(String name) {
        List<Registration> list = byName.getOrDefault(name, List.of());
        return list.isEmpty() ? OptionalInt.empty() : OptionalInt.of(list.get(0).sinceOpset());
    }

    public Set<String> names() {
        return byName.keySet();
    }

    /** Every symbolic mconv ships. */
    public static SymbolicRegistry standard() {
        SymbolicRegistry r = new SymbolicRegistry();
        io.mconv.torch.symbolics.StandardSymbolics.registerAll(r);
        return r;
    }
}
