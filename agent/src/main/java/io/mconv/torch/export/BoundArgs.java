package io.mconv.torch.export;

import io.mconv.ir.Value;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The arguments of one operator call bound to its {@link Signature}'s names, with typed readers that say what was
 * expected when an argument has another kind (a dynamic int where a static one is needed, say).
 */
public final class BoundArgs {

    private final String opName;
    private final List<String> names;
    private final List<SValue> values;
    private final int positionalCount;

    BoundArgs(String opName, List<String> names, List<SValue> values, int positionalCount) {
        this.opName = opName;
        this.names = List.copyOf(names);
        this.values = values;
        this.positionalCount = positionalCount;
    }

    public String opName() {
        return opName;
    }

    /** How many arguments the call gave positionally (some overloads differ only by arity). */
    public int positionalCount() {
        return positionalCount;
    }

    public SValue get(String name) {
        int i = names.indexOf(name);
        if (i < 0) {
            throw new IllegalArgumentException(opName + ": the symbolic asked for '" + name
                    + "', which its signature lacks");
        }
        return values.get(i);
    }

    public boolean isNone(String name) {
        return get(name) instanceof SValue.Const c && c.isNone();
    }

    public boolean isTensor(String name) {
        return get(name) instanceof SValue.TensorV;
    }

    /** The argument as a graph tensor. */
    public Value tensor(String name) {
        if (get(name) instanceof SValue.TensorV t) {
            return t.value();
        }
        throw fail(name, "a tensor");
    }

    /** The argument as a tensor, or empty when None. */
    public Optional<Value> optTensor(String name) {
        return isNone(name) ? Optional.empty() : Optional.of(tensor(name));
    }

    public long longValue(String name) {
        SValue v = get(name);
        if (v instanceof SValue.Const c && c.value() instanceof Long l) {
            return l;
        }
        if (v instanceof SValue.Const c && c.value() instanceof Boolean b) {
            return b ? 1 : 0;
        }
        throw fail(name, "a static int");
    }

    public Optional<Long> optLong(String name) {
        return isNone(name) ? Optional.empty() : Optional.of(longValue(name));
    }

    public double doubleValue(String name) {
        SValue v = get(name);
        if (v instanceof SValue.Const c && c.value() instanceof Number n) {
            return n.doubleValue();
        }
        if (v instanceof SValue.Const c && c.value() instanceof Boolean b) {
            return b ? 1 : 0;
        }
        throw fail(name, "a static number");
    }

    public Optional<Double> optDouble(String name) {
        return isNone(name) ? Optional.empty() : Optional.of(doubleValue(name));
    }

    public boolean bool(String name) {
        SValue v = get(name);
        if (v instanceof SValue.Const c && c.value() instanceof Boolean b) {
            return b;
        }
        if (v instanceof SValue.Const c && c.value() instanceof Long l) {
            return l != 0;
        }
        throw fail(name, "a static bool");
    }

    public String string(String name) {
        if (get(name) instanceof SValue.Const c && c.value() instanceof String s) {
            return s;
        }
        throw fail(name, "a string");
    }

    /** A static int list; a single int is returned as a one-element array (ATen's int[N] accepts one). */
    public long[] longs(String name) {
        SValue v = get(name);
        if (v instanceof SValue.Const c && c.value() instanceof Long l) {
            return new long[] {l};
        }
        if (v instanceof SValue.ListV || v instanceof SValue.TupleV) {
            List<SValue> items = elements(v);
            long[] out = new long[items.size()];
            for (int i = 0; i < out.length; i++) {
                if (items.get(i) instanceof SValue.Const c && c.value() instanceof Long l) {
                    out[i] = l;
                } else {
                    throw fail(name, "a list of static ints");
                }
            }
            return out;
        }
        throw fail(name, "a list of ints");
    }

    public Optional<long[]> optLongs(String name) {
        return isNone(name) ? Optional.empty() : Optional.of(longs(name));
    }

    /** A list argument's elements (tensors, ints, ...), for ops like cat and stack. */
    public List<SValue> list(String name) {
        SValue v = get(name);
        if (v instanceof SValue.ListV || v instanceof SValue.TupleV) {
            return elements(v);
        }
        throw fail(name, "a list");
    }

    /** A list argument whose elements are all tensors. */
    public List<Value> tensors(String name) {
        List<Value> out = new ArrayList<>();
        for (SValue item : list(name)) {
            if (item instanceof SValue.TensorV t) {
                out.add(t.value());
            } else {
                throw fail(name, "a list of tensors");
            }
        }
        return out;
    }

    private static List<SValue> elements(SValue v) {
        return v instanceof SValue.ListV l ? l.elements() : ((SValue.TupleV) v).elements();
    }

    private SymbolicException fail(String name, String expected) {
        return new SymbolicException(opName + ": argument '" + name + "' must be " + expected + " but is "
                + Describe.of(get(name)));
    }
}
