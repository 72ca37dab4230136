package io.mconv.passes.quantize.calibrated;

import io.mconv.ir.Attribute;
import io.mconv.ir.Graph;
import io.mconv.ir.Model;
import io.mconv.ir.Node;
import io.mconv.ir.Tensor;
import io.mconv.ir.Value;
import io.mconv.passes.OptimizationLevel;
import io.mconv.passes.Pass;
import io.mconv.passes.PassContext;
import io.mconv.passes.PassResult;
import io.mconv.passes.Target;
import io.mconv.passes.ort.ContribSchemas;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Turns the QDQ form made by {@link InsertStaticQdq} into the QOperator form: integer operators with their
 * quantization parameters as inputs, QuantizeLinear/DequantizeLinear left only at the float boundaries.
 *
 * <pre>
 * Before:  x_q ─► DQ ─► Conv(DQ(W_q), DQ(B_i32)) ─► Q ─► y_q ─► DQ ─► MaxPool ─► Q ─► m_q
 * After:   x_q ─► QLinearConv(x_s, x_zp, W_q, W_s, W_zp, y_s, y_zp, B_i32) ─► y_q ─► MaxPool ─► m_q
 * </pre>
 *
 * Rewritten: DQ ─► Conv ─► Q into QLinearConv and DQ ─► MatMul ─► Q into QLinearMatMul (per-tensor weight
 * only, the form every runtime implements); DQ ─► MaxPool/Reshape/Flatten/Transpose ─► Q with equal parameters into
 * the same op on the integers (they only move or pick values). For {@code --target ort} also Add/Mul into
 * {@code com.microsoft} QLinearAdd/QLinearMul and GlobalAveragePool into QLinearGlobalAveragePool; for portable
 * models those keep DQ ─► op ─► Q, since ONNX has no standard integer form of them. Gemm keeps its QDQ form.
 * Afterwards Q(DQ(t)) with equal parameters is replaced by t and unused DQ nodes and initializers are dropped.
 * Rewrites apply only where the op's output feeds exactly one Q and is not a graph output, so no float consumer
 * loses its value.
 */
public final class QdqToQOperator implements Pass {

    private static final Set<String> INTEGER_PASSTHROUGH = Set.of("MaxPool", "Reshape", "Flatten", "Transpose");

    @Override
    public String name() {
        return "quantize-qdq-to-qoperator";
    }

    @Override
    public String description() {
        return "QDQ to QOperator: QLinearConv, QLinearMatMul, integer MaxPool/Reshape (QLinearAdd for --target ort)";
    }

    @Override
    public OptimizationLevel level() {
        return OptimizationLevel.AGGRESSIVE;
    }

    @Override
    public PassResult run(Model model, PassContext context) {
        Graph g = model.graph();
        boolean ort = context.target() == Target.ORT;
        int rewrites = 0;
        for (Node n : g.nodes()) {
            if (n.graph() == null || !n.isDefaultDomain() || n.outputCount() != 1) {
                continue;
            }
            Node q = soleQuantizeConsumer(n.output(0));
            if (q == null) {
                continue;
            }
            Node replacement = switch (n.opType()) {
                case "Conv" -> qlinearConv(g, n, q);
                case "MatMul" -> qlinearMatMul(g, n, q);
                case "Add", "Mul" -> ort ? qlinearBinary(g, n, q) : null;
                case "GlobalAveragePool" -> ort ? qlinearGlobalAveragePool(g, n, q) : null;
                default -> INTEGER_PASSTHROUGH.contains(n.opType()) ? integerPassthrough(g, n, q) : null;
            };
            if (replacement != null) {
                if (!replacement.isDefaultDomain()) {
                    ContribSchemas.ensureImport(g);
                }
                takeOver(g, n, q, replacement);
                rewrites++;
            }
        }
        rewrites += cancelRequantization(g);
        removeDead(g);
        return PassResult.of(rewrites);
    }

    /** The Q node that is the only consumer of {@code v}, or null. */
    private static Node soleQuantizeConsumer(Value v) {
        if (v == null || v.isGraphOutput() || v.uses().size() != 1) {
            return null;
        }
        Node q = v.uses().get(0).node();
        return q.opType().equals("QuantizeLinear") && q.isDefaultDomain() && q.inputCount() == 3 ? q : null;
    }

    /** The DequantizeLinear producing {@code v} with per-tensor (scalar) parameters, or null. */
    private static Node perTensorDq(Value v) {
        Node dq = v == null ? null : v.producer();
        if (dq == null || !dq.opType().equals("DequantizeLinear") || dq.inputCount() != 3
                || !StaticQdqOps.isConstant(dq.input(1)) || !StaticQdqOps.isConstant(dq.input(2))) {
            return null;
        }
        return dq;
    }

    private static boolean scalar(Value v) {
        return v.constValue().rank() == 0 || v.constValue().elementCount() == 1;
    }

    private static Node qlinearConv(Graph g, Node conv, Node q) {
        Node x = perTensorDq(conv.input(0));
        Node w = perTensorDq(conv.input(1));
        if (x == null || w == null || !scalar(x.input(1)) || !StaticQdqOps.isConstant(w.input(0))) {
            return null;
        }
        Node b = null;
        if (conv.inputCount() > 2 && conv.input(2) != null) {
            b = perTensorDq(conv.input(2));
            if (b == null || !StaticQdqOps.isConstant(b.input(0))
                    || b.input(0).constValue().dataType() != io.mconv.ir.DataType.INT32) {
                return null;
            }
        }
        Node n = new Node("", "QLinearConv", conv.name());
        addInputs(n, x.input(0), x.input(1), x.input(2), w.input(0), w.input(1), w.input(2), q.input(1), q.input(2));
        if (b != null) {
            n.addInput(b.input(0));
        }
        conv.attributes().forEach(n::setAttribute);
        return n;
    }

    private static Node qlinearMatMul(Graph g, Node mm, Node q) {
        Node a = perTensorDq(mm.input(0));
        Node b = perTensorDq(mm.input(1));
        if (a == null || b == null || !scalar(a.input(1)) || !scalar(b.input(1))) {
            return null;
        }
        Node n = new Node("", "QLinearMatMul", mm.name());
        addInputs(n, a.input(0), a.input(1), a.input(2), b.input(0), b.input(1), b.input(2), q.input(1), q.input(2));
        return n;
    }

    private static Node qlinearBinary(Graph g, Node op, Node q) {
        Node a = perTensorDq(op.input(0));
        Node b = perTensorDq(op.input(1));
        if (a == null || b == null || !scalar(a.input(1)) || !scalar(b.input(1))) {
            return null;
        }
        Node n = new Node(ContribSchemas.DOMAIN, "QLinear" + op.opType(), op.name());
        addInputs(n, a.input(0), a.input(1), a.input(2), b.input(0), b.input(1), b.input(2), q.input(1), q.input(2));
        return n;
    }

    private static Node qlinearGlobalAveragePool(Graph g, Node pool, Node q) {
        Node x = perTensorDq(pool.input(0));
        if (x == null || !scalar(x.input(1))) {
            return null;
        }
        Node n = new Node(ContribSchemas.DOMAIN, "QLinearGlobalAveragePool", pool.name());
        addInputs(n, x.input(0), x.input(1), x.input(2), q.input(1), q.input(2));
        n.setAttribute(Attribute.ofInt("channels_last", 0));
        return n;
    }

    /** The same op on the integers, when the parameters in and out are equal (so the op commutes with them). */
    private static Node integerPassthrough(Graph g, Node op, Node q) {
        Node x = perTensorDq(op.input(0));
        if (x == null || !sameParams(x, q)) {
            return null;
        }
        if (op.opType().equals("MaxPool") && op.outputCount() > 1) {
            return null; // the Indices output has no integer meaning to keep
        }
        Node n = new Node("", op.opType(), op.name());
        n.addInput(x.input(0));
        for (int i = 1; i < op.inputCount(); i++) {
            n.addInput(op.input(i));
        }
        op.attributes().forEach(n::setAttribute);
        return n;
    }

    private static boolean sameParams(Node a, Node b) {
        Tensor sa = a.input(1).constValue();
        Tensor sb = b.input(1).constValue();
        Tensor za = a.input(2).constValue();
        Tensor zb = b.input(2).constValue();
        return sb != null && zb != null && sa.contentEquals(sb) && za.contentEquals(zb);
    }

    private static void addInputs(Node n, Value... inputs) {
        for (Value v : inputs) {
            n.addInput(v);
        }
    }

    /** The replacement produces what Q produced (same value name, so graph outputs and consumers keep it). */
    private static void takeOver(Graph g, Node op, Node q, Node replacement) {
        Value old = q.output(0);
        String name = old.name();
        Value out = new Value(g.uniqueName(name + "_qop"), old.type());
        replacement.addOutput(out);
        g.insertBefore(op, replacement);
        old.replaceAllUsesWith(out, true);
        old.setName(g.uniqueName(name + "_replaced"));
        out.setName(name);
        g.remove(q);
        g.remove(op);
    }

    /** Q(DQ(t)) with equal parameters is t: the pair left between two integer ops. */
    private static int cancelRequantization(Graph g) {
        int n = 0;
        for (Node q : g.nodes()) {
            if (q.graph() == null || !q.opType().equals("QuantizeLinear") || q.inputCount() != 3
                    || q.output(0).isGraphOutput()) {
                continue;
            }
            Node dq = perTensorDq(q.input(0));
            if (dq == null || !StaticQdqOps.isConstant(q.input(1)) || !StaticQdqOps.isConstant(q.input(2))
                    || !sameParams(dq, q) || dq.input(0).elemType() != q.output(0).elemType()) {
                continue;
            }
            q.output(0).replaceAllUsesWith(dq.input(0));
            g.remove(q);
            n++;
        }
        return n;
    }

    /** Drops Q/DQ nodes nobody reads any more, then initializers nobody reads. */
    private static void removeDead(Graph g) {
        boolean changed = true;
        while (changed) {
            changed = false;
            List<Node> nodes = new ArrayList<>(g.nodes());
            for (int i = nodes.size() - 1; i >= 0; i--) {
                Node n = nodes.get(i);
                boolean qdq = n.opType().equals("QuantizeLinear") || n.opType().equals("DequantizeLinear");
                if (qdq && !n.output(0).hasUses() && !n.output(0).isGraphOutput()) {
                    g.remove(n);
                    changed = true;
                }
            }
        }
        for (Value init : new ArrayList<>(g.initializers().values())) {
            if (!init.hasUses() && !init.isGraphOutput() && !init.isGraphInput()) {
                g.removeInitializer(init.name());
            }
        }
    }
}
