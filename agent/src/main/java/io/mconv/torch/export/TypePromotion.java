package io.mconv.torch.export;

import io.mconv.ir.DataType;
import io.mconv.ir.Shape;
import io.mconv.ir.Value;

import java.util.ArrayList;
import java.util.List;

/**
 * torch's type promotion for operators with several operands, which ONNX does not do (Add wants one element
 * type): the result takes the highest category (bool &lt; integer &lt; floating); among operands of the winning
 * category, dimensioned tensors decide before 0-d tensors, which decide before Python numbers (so
 * {@code float16_tensor * 2.0} stays float16, {@code int_tensor * 0.5} becomes float32).
 */
public final class TypePromotion {

    private TypePromotion() {
    }

    /** The operands as tensors of their common type. */
    public static List<Value> promote(SymbolicContext ctx, List<SValue> operands) {
        DataType type = resultType(ctx, operands);
        List<Value> out = new ArrayList<>();
        for (SValue v : operands) {
            out.add(ctx.cast(ctx.tensorOf(v, type), type));
        }
        return out;
    }

    public static DataType resultType(SymbolicContext ctx, List<SValue> operands) {
        int bestCategory = -1;
        for (SValue v : operands) {
            bestCategory = Math.max(bestCategory, category(typeOfOperand(ctx, v)));
        }
        DataType best = null;
        int bestPriority = -1;
        for (SValue v : operands) {
            DataType t = typeOfOperand(ctx, v);
            if (category(t) != bestCategory) {
                continue;
            }
            int priority = priority(ctx, v);
            if (priority > bestPriority || (priority == bestPriority && t.bits() > best.bits())) {
                best = t;
                bestPriority = priority;
            }
        }
        if (bestPriority == 0) {
            // only Python numbers of the top category: torch's defaults
            return bestCategory == 2 ? DataType.FLOAT : bestCategory == 1 ? DataType.INT64 : DataType.BOOL;
        }
        if (bestPriority < 2) {
            return best;
        }
        return best;
    }

    private static DataType typeOfOperand(SymbolicContext ctx, SValue v) {
        if (v instanceof SValue.TensorV t) {
            return ctx.dtype(t.value());
        }
        if (v instanceof SValue.DynScalar d) {
            return d.kind() == SValue.DynScalar.Kind.FLOAT ? DataType.FLOAT
                    : d.kind() == SValue.DynScalar.Kind.BOOL ? DataType.BOOL : DataType.INT64;
        }
        if (v instanceof SValue.Const c) {
            if (c.value() instanceof Double) {
                return DataType.FLOAT;
            }
            if (c.value() instanceof Boolean) {
                return DataType.BOOL;
            }
            if (c.value() instanceof Long) {
                return DataType.INT64;
            }
        }
        throw new SymbolicException("expected a tensor or a number but got " + Describe.of(v));
    }

    /** 2 for a tensor with dimensions, 1 for a 0-d tensor, 0 for a Python number. */
    private static int priority(SymbolicContext ctx, SValue v) {
        if (v instanceof SValue.TensorV t) {
            Shape s = ctx.shapeOrNull(t.value());
            return s != null && s.rank() == 0 ? 1 : 2;
        }
        return 0;
    }

    static int category(DataType t) {
        return switch (t) {
            case BOOL -> 0;
            case FLOAT, DOUBLE, FLOAT16, BFLOAT16 -> 2;
            default -> 1;
        };
    }

    public static boolean isFloating(DataType t) {
        return category(t) == 2;
    }
}
