package io.mconv.torch.export;

import java.util.ArrayList;
import java.util.List;

/** {@code range(...)} as Python defines it, resolved at export time when its bounds are static. */
final class Ranges {

    /** Ranges longer than this are not unrolled into the graph; they stay loops. */
    static final int MAX_UNROLL = 4096;

    private Ranges() {
    }

    static SValue.RangeV of(List<SValue> args) {
        SValue one = new SValue.Const(1L);
        SValue zero = new SValue.Const(0L);
        return switch (args.size()) {
            case 1 -> new SValue.RangeV(zero, args.get(0), one);
            case 2 -> new SValue.RangeV(args.get(0), args.get(1), one);
            case 3 -> new SValue.RangeV(args.get(0), args.get(1), args.get(2));
            default -> throw new SymbolicException("range takes 1 to 3 arguments, got " + args.size());
        };
    }

    /** The items when all bounds are static and the range is short enough to unroll, else null. */
    static List<SValue> staticItems(SValue.RangeV r) {
        if (!(isStaticInt(r.start()) && isStaticInt(r.stop()) && isStaticInt(r.step()))) {
            return null;
        }
        long start = Interpreter.staticLong(r.start());
        long stop = Interpreter.staticLong(r.stop());
        long step = Interpreter.staticLong(r.step());
        if (step == 0) {
            throw new SymbolicException("range() step must not be zero");
        }
        long count = step > 0 ? Math.max(0, (stop - start + step - 1) / step)
                : Math.max(0, (start - stop - step - 1) / -step);
        if (count > MAX_UNROLL) {
            return null;
        }
        List<SValue> items = new ArrayList<>();
        for (long i = 0; i < count; i++) {
            items.add(new SValue.Const(start + i * step));
        }
        return items;
    }

    private static boolean isStaticInt(SValue v) {
        return v instanceof SValue.Const c && c.value() instanceof Long;
    }
}
