package io.mconv.passes.cleanup;

import io.mconv.ir.DataType;
import io.mconv.ir.Graph;
import io.mconv.ir.Model;
import io.mconv.ir.Tensor;
import io.mconv.ir.Value;
import io.mconv.passes.Graphs;
import io.mconv.passes.OptimizationLevel;
import io.mconv.passes.Pass;
import io.mconv.passes.PassContext;
import io.mconv.passes.PassResult;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code deduplicate-initializers}: initializers of one graph with equal element type, dims and bytes hold the same
 * constant, so every reader of the later ones reads the first and the later ones go.
 *
 * <pre>
 * Before:  a = [1, 2, 3] (int64)   b = [1, 2, 3] (int64)    Reshape(x, a)   Reshape(y, b)
 * After:   a = [1, 2, 3] (int64)                            Reshape(x, a)   Reshape(y, a)
 * </pre>
 *
 * Candidates are grouped by type, dims and a fingerprint of their bytes (the length and at most 64 words sampled
 * at even strides, so a 100 MB model is not read byte by byte just to find that no two weights match); a
 * fingerprint match is confirmed by comparing all the bytes, so a collision never merges different constants. Left alone: initializers that are also graph inputs (IR &lt; 4
 * files let a caller override them at run time, so two equal defaults need not stay equal) and initializers that
 * are graph outputs (their names are the interface). Readers in subgraphs are redirected too; each graph's
 * initializers are deduplicated among themselves (not merged with an enclosing graph's).
 */
public final class DeduplicateInitializers implements Pass {

    @Override
    public String name() {
        return "deduplicate-initializers";
    }

    @Override
    public String description() {
        return "merge initializers with equal type, dims and bytes";
    }

    @Override
    public OptimizationLevel level() {
        return OptimizationLevel.BASIC;
    }

    @Override
    public PassResult run(Model model, PassContext context) {
        int merged = 0;
        for (Graph g : Graphs.all(model)) {
            Map<Long, List<Value>> buckets = new HashMap<>();
            for (Value v : new ArrayList<>(g.initializers().values())) {
                if (v.isGraphInput() || v.isGraphOutput()) {
                    continue;
                }
                Tensor t = v.constValue();
                List<Value> bucket = buckets.computeIfAbsent(hash(t), h -> new ArrayList<>());
                Value twin = null;
                for (Value other : bucket) {
                    if (other.constValue().contentEquals(t)) {
                        twin = other;
                        break;
                    }
                }
                if (twin == null) {
                    bucket.add(v);
                    continue;
                }
                v.replaceAllUsesWith(twin, false);
                g.removeInitializer(v.name());
                merged++;
            }
        }
        return PassResult.of(merged);
    }

    /** At most this many bytes are read to fingerprint one tensor. */
    private static final int SAMPLE_WORDS = 64;

    /** Type, dims and sampled content; strings hash their bytes (string tensors are small). */
    private static long hash(Tensor t) {
        long h = t.dataType().code() * 1_000_003L + Arrays.hashCode(t.dims());
        if (t.dataType() == DataType.STRING) {
            for (byte[] s : t.strings()) {
                h = 31 * h + Arrays.hashCode(s);
            }
            return h;
        }
        return 31 * h + sampledHash(t.rawBytes());
    }

    private static long sampledHash(ByteBuffer bytes) {
        int base = bytes.position();
        int length = bytes.remaining();
        long h = length;
        if (length <= SAMPLE_WORDS * Long.BYTES) {
            for (int i = 0; i < length; i++) {
                h = 31 * h + bytes.get(base + i);
            }
            return h;
        }
        // Even strides over the whole tensor, the last word ending at its end.
        long stride = (length - Long.BYTES) / (SAMPLE_WORDS - 1);
        for (int i = 0; i < SAMPLE_WORDS; i++) {
            h = 31 * h + bytes.getLong(base + (int) (i * stride));
        }
        return h;
    }
}
