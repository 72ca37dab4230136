package io.mconv.passes;

import io.mconv.passes.cleanup.CleanupPasses;
import io.mconv.passes.fold.FoldingPasses;
import io.mconv.passes.fusion.FusionPasses;
import io.mconv.passes.ort.OrtFusionPasses;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Every pass, in the one order the optimizer runs them: cleanup, folding, standard fusions, ONNX Runtime
 * fusions. {@code mconv passes} prints this list; {@code -O}, {@code --target}, {@code --passes} and
 * {@code --disable} select from it without changing the order.
 */
public final class PassRegistry {

    private final List<Pass> passes;

    private PassRegistry(List<Pass> passes) {
        this.passes = List.copyOf(passes);
    }

    public static PassRegistry standard() {
        List<Pass> all = new ArrayList<>();
        all.addAll(CleanupPasses.all());
        all.addAll(FoldingPasses.all());
        all.addAll(FusionPasses.all());
        all.addAll(OrtFusionPasses.all());
        Set<String> names = new LinkedHashSet<>();
        for (Pass p : all) {
            if (!names.add(p.name())) {
                throw new IllegalStateException("two passes are named " + p.name());
            }
        }
        return new PassRegistry(all);
    }

    /** A registry over exactly these passes (tests; later, user-supplied passes). */
    public static PassRegistry of(List<Pass> passes) {
        return new PassRegistry(passes);
    }

    public List<Pass> all() {
        return passes;
    }

    /**
     * The passes to run.
     *
     * @param only    when not empty, exactly these (by name), whatever their level
     * @param disable names to leave out
     * @throws IllegalArgumentException naming an unknown pass and listing the known ones
     */
    public List<Pass> select(OptimizationLevel level, Target target, List<String> only, List<String> disable) {
        Set<String> known = new LinkedHashSet<>();
        passes.forEach(p -> known.add(p.name()));
        for (String n : concat(only, disable)) {
            if (!known.contains(n)) {
                throw new IllegalArgumentException("unknown pass '" + n + "' (known: " + String.join(", ", known) + ")");
            }
        }
        List<Pass> out = new ArrayList<>();
        for (Pass p : passes) {
            boolean chosen = only.isEmpty() ? level.includes(p.level()) && level != OptimizationLevel.NONE
                    : only.contains(p.name());
            if (chosen && p.targets().contains(target) && !disable.contains(p.name())) {
                out.add(p);
            }
        }
        return out;
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }
}
