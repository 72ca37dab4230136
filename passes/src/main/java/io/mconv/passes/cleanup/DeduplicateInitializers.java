package io.mconv.passes.cleanup;

import io.mconv.ir.Graph;
import io.mconv.ir.Model;
import io.mconv.ir.Tensor;
import io.mconv.ir.Value;
import io.mconv.passes.Graphs;
import io.mconv.passes.OptimizationLevel;
import io.mconv.passes.Pass;
import io.mconv.passes.PassContext;
import io.mconv.passes.PassResult;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Merges initializers of one graph that hold the same constant (data type, dims and bytes): readers of a duplicate
 * read the first one instead, and the duplicate is dropped. Exporters emit many equal small constants (the axes of
 * every Unsqueeze, the shape of every Reshape); merging them is also what lets common-subexpression elimination
 * see that two nodes read the same thing.
 *
 * <pre>
 * Before:  a = [0] (int64)   b = [0] (int64)   Unsqueeze(x, a)   Unsqueeze(y, b)
 * After:   a = [0] (int64)                     Unsqueeze(x, a)   Unsqueeze(y, a)
 * </pre>
 *
 * Graph inputs (a feed may override them) and graph outputs keep their own initializers. Subgraphs are handled
 * graph by graph: a subgraph's initializer is not merged with an outer one.
 */
public final class DeduplicateInitializers implements Pass {

    @Override
    public String name() {
        return "deduplicate-initializers";
    }

    @Override
    public String description() {
        return "merge initializers that hold the same constant";
    }

    @Override
    public OptimizationLevel level() {
        return OptimizationLevel.BASIC;
    }

    @Override
    public PassResult run(Model model, PassContext context) {
        int merged = 0;
        for (Graph g : Graphs.all(model)) {
            Map<Key, Value> first = new HashMap<>();
            for (Value v : new ArrayList<>(g.initializers().values())) {
                if (v.isGraphInput() || v.isGraphOutput()) {
                    continue;
                }
                Value kept = first.putIfAbsent(Key.of(v.constValue()), v);
                if (kept != null) {
                    v.replaceAllUsesWith(kept);
                    g.removeInitializer(v.name());
                    merged++;
                }
            }
        }
        return PassResult.of(merged);
    }

    /** Equality by content; the hash reads the bytes once. */
    private record Key(Tensor tensor, int hash) {

        static Key of(Tensor t) {
            int h = 31 * t.dataType().hashCode() + Arrays.hashCode(t.dims());
            if (t.dataType() == io.mconv.ir.DataType.STRING) {
                for (byte[] s : t.strings()) {
                    h = 31 * h + Arrays.hashCode(s);
                }
            } else {
                h = 31 * h + t.rawBytes().hashCode();
            }
            return new Key(t, h);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.hash == hash && tensor.contentEquals(k.tensor);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }

}
