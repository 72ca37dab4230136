package io.mconv.torch.export;

import io.mconv.ir.DataType;
import io.mconv.ir.Shape;
import io.mconv.ir.Value;
import io.mconv.ir.ValueType;
import io.mconv.torch.archive.ScriptObject;

import java.util.List;

/**
 * A value while TorchScript is lowered. Python-level values (ints, floats, bools, strings, None, lists, tuples,
 * modules) are computed at export time when they are static; tensors, and scalars that depend on tensors, are IR
 * values of the graph being built.
 */
public sealed interface SValue {

    /** A static Python scalar: Long, Double, Boolean, String, or null for None. */
    record Const(Object value) implements SValue {
        public static final Const NONE = new Const(null);

        public boolean isNone() {
            return value == null;
        }
    }

    /** A tensor of the graph (for TorchScript's Tensor type). */
    record TensorV(Value value) implements SValue {

        public DataType dtype() {
            return value.type() instanceof ValueType.TensorType t ? t.elemType() : null;
        }

        public Shape shape() {
            return value.type() instanceof ValueType.TensorType t ? t.shape() : null;
        }
    }

    /**
     * A Python int, float or bool only known at run time (e.g. a dynamic dimension from {@code torch.size}): a
     * 0-d tensor of INT64, DOUBLE (stored as FLOAT) or BOOL.
     */
    record DynScalar(Value value, Kind kind) implements SValue {
        public enum Kind { INT, FLOAT, BOOL }
    }

    /**
     * A Python list. TorchScript lists are mutable and shared by reference ({@code torch.append(l, x)} changes every
     * alias), so the element list is kept as given, never copied: pass a fresh ArrayList.
     */
    record ListV(List<SValue> elements) implements SValue {
        public ListV {
            if (!(elements instanceof java.util.ArrayList)) {
                elements = new java.util.ArrayList<>(elements);
            }
        }

        @Override
        public boolean equals(Object o) {
            return this == o;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(this);
        }
    }

    record TupleV(List<SValue> elements) implements SValue {
        public TupleV {
            elements = java.util.Collections.unmodifiableList(new java.util.ArrayList<>(elements));
        }
    }

    /** A dict with static keys (str, int); insertion ordered. */
    record DictV(java.util.LinkedHashMap<Object, SValue> entries) implements SValue {
    }

    /** An instance of a {@code __torch__} class, usually a module; {@code path} is its dotted name from the root. */
    record ObjectV(ScriptObject object, String path) implements SValue {
    }

    /**
     * A name that is only meaningful as the callee of a call or the base of an attribute: {@code torch},
     * {@code torch.add}, {@code ops.aten.add}, {@code ops.prim.NumToTensor}, {@code int}, {@code annotate},
     * {@code __torch__.torch.nn.modules.conv.Conv2d}.
     */
    record QualName(String name) implements SValue {
        public QualName child(String part) {
            return new QualName(name + "." + part);
        }
    }

    /**
     * {@code range(start, stop, step)}, the iterable of a {@code for}; bounds are static ints or dynamic ones (then
     * the loop becomes an ONNX Loop).
     */
    record RangeV(SValue start, SValue stop, SValue step) implements SValue {
    }

    /** A {@code torch.device} value; devices do not exist in ONNX, so only their name is kept. */
    record Device(String name) implements SValue {
    }
}
