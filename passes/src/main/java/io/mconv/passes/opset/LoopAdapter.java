package io.mconv.passes.opset;

import io.mconv.ir.Attribute;
import io.mconv.ir.DataType;
import io.mconv.ir.Graph;
import io.mconv.ir.Node;
import io.mconv.ir.Shape;
import io.mconv.ir.Tensor;
import io.mconv.ir.Value;
import io.mconv.ir.ValueType;
import java.util.ArrayList;
import java.util.List;

/**
 * Loop-11 only relaxed the arity: before it a Loop needs at least one loop-carried variable, from 11 it may have
 * none (a loop that only produces scan outputs). Lowering such a Loop past 11 threads an unused placeholder through
 * it: an int64 scalar passed in, through the body by Identity, and out as the first (unread) Loop output.
 */
final class LoopAdapter implements OpAdapter {

    @Override
    public Node adapt(Node node, Span span, NodeEditor edit) {
        if (span.lowersPast(11) && carriedCount(node) == 0) {
            return withCarriedPlaceholder(node, edit);
        }
        return node;
    }

    private static int carriedCount(Node loop) {
        return Math.max(0, loop.inputCount() - 2);
    }

    /**
     * A copy of {@code loop} (which has no loop-carried variable) with one placeholder carried through it; the
     * original's outputs are taken over by the copy's outputs after the placeholder.
     */
    static Node withCarriedPlaceholder(Node loop, NodeEditor edit) {
        Graph body = loop.attribute("body").map(Attribute::asGraph)
                .orElseThrow(() -> new Refusal("the body attribute is missing"));
        if (body.inputs().size() != 2 || body.outputs().isEmpty()) {
            throw new Refusal("the body's inputs or outputs do not fit a Loop without loop-carried variables");
        }
        Value initial = edit.constant("carried_placeholder", Tensor.ofLongs("", new long[0], 0L));
        String base = loop.name().isEmpty() ? "loop" : loop.name();
        ValueType scalar = new ValueType.TensorType(DataType.INT64, Shape.of());
        Value in = new Value(body.uniqueName(base + "_placeholder_in"), scalar);
        body.addInput(in);
        Node pass = new Node("", "Identity", body.uniqueName(base + "_placeholder"));
        pass.addInput(in);
        pass.addOutput(new Value(body.uniqueName(base + "_placeholder_out"), scalar));
        body.append(pass);
        // Body outputs are (condition, carried..., scan outputs...): the placeholder goes right after the condition.
        List<Value> scanOutputs = new ArrayList<>(body.outputs().subList(1, body.outputs().size()));
        while (body.outputs().size() > 1) {
            body.removeOutput(body.outputs().size() - 1);
        }
        body.addOutput(pass.output(0));
        scanOutputs.forEach(body::addOutput);

        List<Value> inputs = new ArrayList<>();
        inputs.add(loop.input(0));
        inputs.add(loop.input(1));
        inputs.add(initial);
        List<Attribute> attributes = new ArrayList<>(loop.attributes());
        Node replacement = edit.insert("Loop", inputs, loop.outputCount() + 1, attributes.toArray(Attribute[]::new));
        List<Value> shifted = new ArrayList<>(replacement.outputs().subList(1, replacement.outputCount()));
        edit.replaceOutputsAndRemoveAnchor(shifted);
        replacement.setName(loop.name());
        return replacement;
    }
}
