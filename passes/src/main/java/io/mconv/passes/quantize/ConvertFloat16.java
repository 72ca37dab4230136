package io.mconv.passes.quantize;

import io.mconv.ir.Attribute;
import io.mconv.ir.DataType;
import io.mconv.ir.Graph;
import io.mconv.ir.Model;
import io.mconv.ir.Node;
import io.mconv.ir.Tensor;
import io.mconv.ir.Usage;
import io.mconv.ir.Value;
import io.mconv.ir.ValueType;
import io.mconv.passes.OptimizationLevel;
import io.mconv.passes.Pass;
import io.mconv.passes.PassContext;
import io.mconv.passes.PassResult;
import io.mconv.shape.ShapeInference;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * convert-float16: float32 weights and computation to float16, except where float16 breaks.
 *
 * <pre>
 * Before:  x:f32 ─► MatMul(x, W:f32) ─► Exp ─► Add(·, b:f32) ─► y:f32
 * After (--keep-io-types):
 *          x:f32 ─► Cast(f16) ─► MatMul(·, W:f16) ─► Cast(f32) ─► Exp ─► Cast(f16) ─► Add(·, b:f16) ─► Cast(f32) ─► y:f32
 * </pre>
 *
 * Every node of the main graph computes in float16 ("converted") unless it is blocked: its op type is in the block
 * list ({@link Float16Config#DEFAULT_BLOCKED}), it is excluded by the user, it is not of the default domain (contrib
 * kernels differ in float16 support), it holds subgraphs (If/Loop/Scan keep float32 inside: their bodies would need
 * the same rewrite with the outer scope's types), or one of its outputs has a type shape inference could not
 * determine (converting it could hand float16 to a float32 consumer unseen). A float32 value becomes float16 when
 * a converted node computes it; a constant (initializer, Constant, ConstantOfShape) and a Cast to float32 become
 * float16 only when every reader wants float16, so constants read by blocked nodes stay exact and need no Cast.
 * Where a value's type and its reader's wish differ, one Cast per value and direction is inserted after the value's
 * producer. Inputs that are float32 by definition stay so: Resize's roi and scales and Upsample's scales. Cast
 * inputs take any type. With {@code keepIoTypes} graph inputs and outputs stay float32 (a Cast renamed into the
 * output's place); without, they become float16 too. Constants are clamped to float16's range
 * ({@link Float16Tensors}). A second run finds no float32 value a converted node computes and changes nothing.
 */
public final class ConvertFloat16 implements Pass {

    private final Float16Config config;

    public ConvertFloat16(Float16Config config) {
        this.config = config;
    }

    @Override
    public String name() {
        return "convert-float16";
    }

    @Override
    public String description() {
        return "float32 weights and operators to float16, block-listed operators kept float32";
    }

    @Override
    public OptimizationLevel level() {
        return OptimizationLevel.AGGRESSIVE;
    }

    @Override
    public PassResult run(Model model, PassContext context) {
        ShapeInference.infer(model, context.inputShapes());
        Graph g = model.graph();
        Set<Node> converted = new HashSet<>();
        for (Node n : g) {
            if (isConvertible(n)) {
                converted.add(n);
            }
        }
        Decision d = new Decision(g, converted);
        Set<Value> half = d.halfValues();
        List<Value> floats = d.floatValues();
        int rewrites = 0;
        for (Value v : half) {
            toHalf(v);
            rewrites++;
        }
        Map<Value, Value> casts = new HashMap<>();
        for (Value v : floats) {
            for (Usage u : v.uses()) {
                Boolean want = d.wantsHalf(u);
                if (want == null || want == half.contains(v)) {
                    continue;
                }
                Value cast = casts.get(v);
                if (cast == null) {
                    cast = insertCast(g, v, want ? DataType.FLOAT16 : DataType.FLOAT);
                    casts.put(v, cast);
                    rewrites++;
                }
                u.node().setInput(u.inputIndex(), cast);
            }
        }
        if (config.keepIoTypes()) {
            for (int i = 0; i < g.outputs().size(); i++) {
                Value out = g.outputs().get(i);
                if (half.contains(out)) {
                    g.setOutput(i, restoreOutput(g, out));
                    rewrites++;
                }
            }
        }
        return PassResult.of(rewrites);
    }

    private boolean isConvertible(Node n) {
        if (!n.isDefaultDomain() || !n.subgraphs().isEmpty() || config.blockedOps().contains(n.opType())
                || config.exclusions().excludes(n)) {
            return false;
        }
        for (Value out : n.outputs()) {
            if (out != null && out.elemType() == null) {
                return false;
            }
        }
        return true;
    }

    /** Which values end up float16 and which type each reader wants; computed before anything changes. */
    private final class Decision {
        private final Graph g;
        private final Set<Node> converted;

        Decision(Graph g, Set<Node> converted) {
            this.g = g;
            this.converted = converted;
        }

        /** TRUE: float16, FALSE: float32, null: either (a Cast's input). */
        Boolean wantsHalf(Usage u) {
            Node n = u.node();
            if (n.graph() != g || !converted.contains(n)) {
                return Boolean.FALSE;
            }
            if (n.opType().equals("Cast")) {
                return null;
            }
            boolean floatByDefinition = (n.opType().equals("Resize") && (u.inputIndex() == 1 || u.inputIndex() == 2))
                    || (n.opType().equals("Upsample") && u.inputIndex() == 1);
            return !floatByDefinition;
        }

        boolean everyReaderWantsHalf(Value v) {
            if (!v.hasUses() || (v.isGraphOutput() && config.keepIoTypes())) {
                return false;
            }
            for (Usage u : v.uses()) {
                if (Boolean.FALSE.equals(wantsHalf(u))) {
                    return false;
                }
            }
            return true;
        }

        List<Value> floatValues() {
            Set<Value> out = new LinkedHashSet<>();
            for (Value v : g.inputs()) {
                if (v.elemType() == DataType.FLOAT) {
                    out.add(v);
                }
            }
            for (Value v : g.initializers().values()) {
                if (v.elemType() == DataType.FLOAT) {
                    out.add(v);
                }
            }
            for (Node n : g) {
                for (Value v : n.outputs()) {
                    if (v != null && v.elemType() == DataType.FLOAT) {
                        out.add(v);
                    }
                }
            }
            return new ArrayList<>(out);
        }

        Set<Value> halfValues() {
            Set<Value> half = new LinkedHashSet<>();
            for (Value v : floatValues()) {
                Node p = v.producer();
                boolean becomesHalf;
                if (p == null) {
                    becomesHalf = v.isGraphInput() ? !config.keepIoTypes() && !v.isInitializer()
                            : v.isInitializer() && everyReaderWantsHalf(v);
                } else if (!converted.contains(p)) {
                    becomesHalf = false;
                } else if (p.opType().equals("Cast") || p.opType().equals("Constant")
                        || p.opType().equals("ConstantOfShape")) {
                    becomesHalf = everyReaderWantsHalf(v);
                } else {
                    becomesHalf = true;
                }
                if (becomesHalf) {
                    half.add(v);
                }
            }
            return half;
        }
    }

    private static void toHalf(Value v) {
        v.setType(new ValueType.TensorType(DataType.FLOAT16, v.shape()));
        if (v.isInitializer() && v.constValue() != null) {
            v.setConstValue(Float16Tensors.convert(v.constValue()));
        }
        Node p = v.producer();
        if (p == null) {
            return;
        }
        switch (p.opType()) {
            case "Cast" -> p.setAttribute(Attribute.ofInt("to", DataType.FLOAT16.code()));
            case "Constant" -> convertConstantAttribute(p);
            case "ConstantOfShape" -> {
                Tensor fill = p.attribute("value").map(Attribute::asTensor)
                        .orElse(Tensor.ofFloats("value", new long[] {1}, 0f));
                p.setAttribute(Attribute.ofTensor("value", Float16Tensors.convert(fill)));
            }
            default -> {
            }
        }
    }

    private static void convertConstantAttribute(Node constant) {
        Tensor t;
        if (constant.attribute("value").isPresent()) {
            t = constant.attribute("value").get().asTensor();
        } else if (constant.attribute("value_float").isPresent()) {
            t = Tensor.ofFloats("value", new long[0], constant.attribute("value_float").get().asFloat());
            constant.removeAttribute("value_float");
        } else {
            float[] fs = constant.attribute("value_floats").orElseThrow().asFloats();
            t = Tensor.ofFloats("value", new long[] {fs.length}, fs);
            constant.removeAttribute("value_floats");
        }
        constant.setAttribute(Attribute.ofTensor("value", Float16Tensors.convert(t)));
    }

    /** A Cast of {@code v} to {@code to}, placed right after v's producer (or first, for inputs and constants). */
    private static Value insertCast(Graph g, Value v, DataType to) {
        Node cast = new Node("", "Cast", g.uniqueName(v.name() + "_to_" + to.displayName() + "_Cast"));
        cast.addInput(v);
        cast.setAttribute(Attribute.ofInt("to", to.code()));
        Value out = cast.addOutput(new Value(g.uniqueName(v.name() + "_" + to.displayName()),
                new ValueType.TensorType(to, v.shape())));
        Node p = v.producer();
        if (p != null && p.graph() == g) {
            g.insertAfter(p, cast);
        } else if (g.firstNode() != null) {
            g.insertBefore(g.firstNode(), cast);
        } else {
            g.append(cast);
        }
        return out;
    }

    /** The float16 graph output {@code out} gets a new name; a Cast to float32 takes over its old name. */
    private static Value restoreOutput(Graph g, Value out) {
        String name = out.name();
        out.setName(g.uniqueName(name + "_fp16"));
        Node cast = new Node("", "Cast", g.uniqueName(name + "_to_float_Cast"));
        cast.addInput(out);
        cast.setAttribute(Attribute.ofInt("to", DataType.FLOAT.code()));
        Value restored = cast.addOutput(new Value(name, new ValueType.TensorType(DataType.FLOAT, out.shape())));
        g.append(cast);
        return restored;
    }
}
