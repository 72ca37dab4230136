package io.mconv.ir;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * A set of names that hands out new ones: {@code base} when free, else {@code base_N}, in amortized constant time
 * per name even when thousands share a base (a loop from N = 1 each time made a long export quadratic). The
 * outermost graph keeps one for {@link Graph#uniqueName}, so a new unique name costs a hash lookup instead of a
 * walk over the whole model (a 9,000-node model spent minutes in those walks when quantization added a few names
 * per node); the TorchScript exporter keeps one for the names of the model it builds.
 *
 * <p>It may hold more names than the graph uses now: a removed value's name stays reserved and a renamed value
 * keeps its old name reserved too. That only makes some new names carry a higher suffix; it never lets two
 * values share a name.
 */
public final class UsedNames {

    private final Set<String> names = new HashSet<>();
    /** Per base, the suffix to try first: every smaller one was taken when last asked, and names are never freed. */
    private final Map<String, Integer> nextSuffix = new HashMap<>();

    /** Marks {@code name} as taken. */
    public void add(String name) {
        names.add(name);
    }

    /** A name not held yet, {@code base} itself when free, else {@code base_N} with the smallest free N; now held. */
    public String claim(String base) {
        if (names.add(base)) {
            return base;
        }
        int suffix = nextSuffix.getOrDefault(base, 1);
        String candidate = base + "_" + suffix;
        while (!names.add(candidate)) {
            suffix++;
            candidate = base + "_" + suffix;
        }
        nextSuffix.put(base, suffix + 1);
        return candidate;
    }
}
