package io.mconv.shape;

import io.mconv.ir.AttrKey;
import io.mconv.ir.Attribute;
import io.mconv.ir.DataType;
import io.mconv.ir.Dim;
import io.mconv.ir.Node;
import io.mconv.ir.Shape;
import io.mconv.ir.Tensor;
import io.mconv.ir.Value;
import io.mconv.ir.ValueType;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What a {@link ShapeRule} sees: the types of values so far, the constants (initializers and {@code Constant}
 * nodes), the small integer "shape values" tracked through Shape/Gather/Concat chains, and where to report outputs.
 */
public final class InferenceContext {

    /** Constants with more elements than this are not read as shape values. */
    public static final int MAX_SHAPE_VALUE_ELEMENTS = 64;

    private final Map<Value, List<Dim>> shapeValues = new IdentityHashMap<>();
    private final Map<Value, Optional<Tensor>> constants = new IdentityHashMap<>();
    private final Set<Value> inferred = Collections.newSetFromMap(new IdentityHashMap<>());
    private final Set<Value> typed = Collections.newSetFromMap(new IdentityHashMap<>());
    private final List<String> warnings = new ArrayList<>();

    /** A fresh context; {@link ShapeInference#inferNode} uses one across the nodes of a graph being built. */
    public InferenceContext() {
    }

    // ---- reading ---------------------------------------------------------------------------------------------

    /** The shape of {@code v} when it is a tensor of known rank, else null (also for an omitted input). */
    public Shape shape(Value v) {
        return v == null ? null : v.shape();
    }

    public DataType elemType(Value v) {
        return v == null ? null : v.elemType();
    }

    public Shape inputShape(Node node, int index) {
        return shape(node.input(index));
    }

    public DataType inputType(Node node, int index) {
        return elemType(node.input(index));
    }

    /** The constant held by {@code v}: an initializer, or the output of a {@code Constant} node. */
    public Optional<Tensor> constant(Value v) {
        if (v == null) {
            return Optional.empty();
        }
        return constants.computeIfAbsent(v, InferenceContext::readConstant);
    }

    private static Optional<Tensor> readConstant(Value v) {
        if (v.constValue() != null) {
            return Optional.of(v.constValue());
        }
        Node p = v.producer();
        if (p == null || !p.isDefaultDomain() || !p.opType().equals("Constant") || p.outputCount() < 1
                || p.output(0) != v) {
            return Optional.empty();
        }
        for (Attribute a : p.attributes()) {
            if (a.isReference()) {
                continue;
            }
            switch (a.name()) {
                case "value":
                    return Optional.of(a.asTensor());
                case "value_int":
                    return Optional.of(Tensor.ofLongs(v.name(), new long[0], a.asInt()));
                case "value_ints": {
                    long[] ints = a.asInts();
                    return Optional.of(Tensor.ofLongs(v.name(), new long[] {ints.length}, ints));
                }
                case "value_float":
                    return Optional.of(Tensor.ofFloats(v.name(), new long[0], a.asFloat()));
                case "value_floats": {
                    float[] f = a.asFloats();
                    return Optional.of(Tensor.ofFloats(v.name(), new long[] {f.length}, f));
                }
                default:
                    break;
            }
        }
        return Optional.empty();
    }

    /** The elements of an integer constant of at most rank 1, or empty. */
    public Optional<long[]> constantLongs(Value v) {
        Optional<Tensor> t = constant(v);
        if (t.isEmpty() || t.get().rank() > 1 || !isInteger(t.get().dataType())) {
            return Optional.empty();
        }
        return Optional.of(t.get().toLongArray());
    }

    /** The elements of a floating-point constant of at most rank 1, or empty. */
    public Optional<float[]> constantFloats(Value v) {
        Optional<Tensor> t = constant(v);
        if (t.isEmpty() || t.get().rank() > 1 || !t.get().dataType().isFloatingPoint()) {
            return Optional.empty();
        }
        return Optional.of(t.get().toFloatArray());
    }

    /**
     * The elements of a small rank-0/1 integer value as dimensions: from a constant, or tracked through shape
     * arithmetic (so {@code Shape(x)[0]} of an input with dimension {@code batch} reads as {@code batch}).
     */
    public Optional<List<Dim>> shapeValue(Value v) {
        if (v == null) {
            return Optional.empty();
        }
        List<Dim> tracked = shapeValues.get(v);
        if (tracked != null) {
            return Optional.of(tracked);
        }
        Optional<Tensor> t = constant(v);
        if (t.isPresent() && t.get().rank() <= 1 && isInteger(t.get().dataType())
                && t.get().elementCount() <= MAX_SHAPE_VALUE_ELEMENTS) {
            List<Dim> out = new ArrayList<>();
            for (long l : t.get().toLongArray()) {
                out.add(Dim.of(l));
            }
            return Optional.of(out);
        }
        return Optional.empty();
    }

    /** Records the elements of an integer value computed by {@code node}'s output. */
    public void setShapeValue(Value v, List<Dim> elements) {
        if (v != null && elements.size() <= MAX_SHAPE_VALUE_ELEMENTS) {
            shapeValues.put(v, List.copyOf(elements));
        }
    }

    public <T> T attr(Node node, AttrKey<T> key) {
        return node.attr(key);
    }

    public int opset(Node node) {
        return node.opsetVersion();
    }

    public static boolean isInteger(DataType t) {
        return switch (t) {
            case INT8, INT16, INT32, INT64, UINT8, UINT16, UINT32, UINT64 -> true;
            default -> false;
        };
    }

    // ---- writing ---------------------------------------------------------------------------------------------

    /**
     * Reports output {@code index} of {@code node}: element type (null when not known) and shape (null when the
     * rank is not known). A type the model declares is kept; only its unknown dimensions are refined (and its
     * symbolic ones, where inference found a known size), and a missing element type is filled.
     */
    public void setOutput(Node node, int index, DataType elemType, Shape shape) {
        Value v = node.output(index);
        if (v == null) {
            return;
        }
        ValueType existing = v.type();
        if (existing == null) {
            if (elemType == null && shape == null) {
                return;
            }
            v.setType(new ValueType.TensorType(elemType, shape));
            typed.add(v);
        } else if (existing instanceof ValueType.TensorType et) {
            DataType dt = et.elemType();
            if (dt == null) {
                dt = elemType;
            } else if (elemType != null && elemType != dt) {
                warn(node, "output '" + v.name() + "' is declared " + dt + " but infers as " + elemType);
            }
            Shape merged = et.shape();
            if (merged == null) {
                merged = shape;
            } else if (shape != null) {
                if (shape.rank() != merged.rank()) {
                    warn(node, "output '" + v.name() + "' is declared " + merged + " but infers as " + shape);
                } else {
                    merged = refine(node, v, merged, shape);
                }
            }
            ValueType updated = new ValueType.TensorType(dt, merged, et.denotation());
            if (!updated.equals(existing)) {
                v.setType(updated);
                typed.add(v);
            }
        } else {
            return;
        }
        if (shape != null) {
            inferred.add(v);
        }
    }

    private Shape refine(Node node, Value v, Shape declared, Shape inferredShape) {
        List<Dim> out = new ArrayList<>(declared.rank());
        for (int i = 0; i < declared.rank(); i++) {
            Dim d = declared.dim(i);
            Dim n = inferredShape.dim(i);
            if (d.isKnown()) {
                if (n.isKnown() && n.value().longValue() != d.value().longValue()) {
                    warn(node, "output '" + v.name() + "' is declared " + declared + " but infers as "
                            + inferredShape);
                }
                out.add(d);
            } else if (d.isSymbolic()) {
                out.add(n.isKnown() ? n : d);
            } else {
                out.add(n.isKnown() || n.isSymbolic() ? n : d);
            }
        }
        return new Shape(out);
    }

    public void warn(Node node, String message) {
        warnings.add(node + ": " + message);
    }

    // ---- bookkeeping for ShapeInference ---------------------------------------------------------------------

    boolean wasInferred(Value v) {
        return inferred.contains(v);
    }

    int typedCount() {
        return typed.size();
    }

    public List<String> warnings() {
        return warnings;
    }

    void addWarning(String w) {
        warnings.add(w);
    }

    static Map<String, Integer> sortedCounts(Map<String, Integer> m) {
        return new LinkedHashMap<>(new java.util.TreeMap<>(m));
    }

    static Map<String, Integer> newCounts() {
        return new HashMap<>();
    }
}
