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
import java.util.Arrays;
import java.util.List;

/**
 * Scan-8 iterates over a leading batch axis: every state is {@code [batch, ...]}, every scan input
 * {@code [batch, sequence, ...]}, and for each batch element it runs the scan on that element's slices (optionally
 * for only {@code sequence_lens[b]} steps), stacking final states and scan outputs along a new batch axis; the
 * {@code directions} attribute reverses scan inputs. Scan-9 has no batch axis and no sequence lengths: it scans
 * along {@code scan_input_axes} (default 0) in {@code scan_input_directions}, and appends or prepends outputs along
 * {@code scan_output_axes} per {@code scan_output_directions} (default: axis 0, appended, as Scan-8 does).
 *
 * <p>Raising makes the batch loop explicit: a Loop over the batch size whose body takes element {@code b} of each
 * state and scan input (Gather on axis 0) and runs a Scan-9 with the same body on it; the Loop's scan outputs stack
 * the per-element results along axis 0, which is exactly Scan-8's batch axis (before opset 11 the Loop also carries
 * a placeholder variable, see {@link LoopAdapter}). Variable sequence lengths have no Scan-9 equivalent (Scan-8
 * leaves the padding after each sequence undefined), so a given {@code sequence_lens} is refused. Lowering adds a
 * batch axis of one (Unsqueeze, Scan-8, Squeeze) when the Scan-9 uses only what Scan-8 can say: scan axes 0 and
 * outputs appended.
 */
final class ScanAdapter implements OpAdapter {

    @Override
    public Node adapt(Node node, Span span, NodeEditor edit) {
        if (span.raisesPast(9)) {
            return raise(node, span, edit);
        }
        if (span.lowersPast(9)) {
            return lower(node, edit);
        }
        return node;
    }

    private static Node raise(Node node, Span span, NodeEditor edit) {
        if (node.input(0) != null) {
            throw new Refusal("sequence_lens is given: Scan-9 and later have no per-batch sequence lengths");
        }
        int scanInputs = (int) Attrs.intOr(node, "num_scan_inputs", 0);
        List<Value> batched = node.inputs().subList(1, node.inputCount());
        int states = batched.size() - scanInputs;
        if (scanInputs < 1 || states < 0) {
            throw new Refusal("num_scan_inputs " + scanInputs + " does not fit the " + batched.size() + " inputs");
        }
        Graph scanBody = node.attribute("body").map(Attribute::asGraph)
                .orElseThrow(() -> new Refusal("the body attribute is missing"));
        // Scan-8 takes the batch size from its first scan input.
        Value batchSize = edit.apply("Gather", List.of(edit.apply("Shape", List.of(batched.get(states))),
                edit.constant("batch_axis", Tensor.ofLongs("", new long[0], 0L))), Attribute.ofInt("axis", 0));
        Graph loopBody = new Graph(node.name().isEmpty() ? "scan_batch_loop" : node.name() + "_batch_loop");
        List<Value> loopInputs = new ArrayList<>();
        loopInputs.add(batchSize);
        loopInputs.add(null); // no condition: the trip count alone bounds the loop
        Node loop = edit.insert("Loop", loopInputs, node.outputCount(), Attribute.ofGraph("body", loopBody));
        fillLoopBody(loopBody, node, batched, scanInputs, scanBody);
        edit.takeOver(node, loop);
        if (span.to() < 11) {
            LoopAdapter.withCarriedPlaceholder(loop, new NodeEditor(loop)); // opsets 9 and 10 need one
        }
        return null;
    }

    /**
     * The Loop body (attached to the outer graph already, so that names it picks are unique model-wide): the
     * iteration number is the batch index, each batched input is sliced at it, the Scan-9 runs on the slices, and
     * all its outputs leave as Loop scan outputs.
     */
    private static void fillLoopBody(Graph body, Node scan8, List<Value> batched, int scanInputs, Graph scanBody) {
        String base = scan8.name().isEmpty() ? "scan" : scan8.name();
        Value index = new Value(body.uniqueName(base + "_batch_index"), scalar(DataType.INT64));
        body.addInput(index);
        Value condIn = new Value(body.uniqueName(base + "_cond_in"), scalar(DataType.BOOL));
        body.addInput(condIn);
        Node scan9 = new Node("", "Scan", base + "_per_element");
        for (int i = 0; i < batched.size(); i++) {
            Node gather = new Node("", "Gather", base + "_element_" + i);
            gather.addInput(batched.get(i));
            gather.addInput(index);
            gather.setAttribute(Attribute.ofInt("axis", 0));
            gather.addOutput(new Value(body.uniqueName(base + "_element_" + i), null));
            body.append(gather);
            scan9.addInput(gather.output(0));
        }
        scan9.setAttribute(Attribute.ofGraph("body", scanBody));
        scan9.setAttribute(Attribute.ofInt("num_scan_inputs", scanInputs));
        long[] directions = Attrs.ints(scan8, "directions");
        if (directions != null) {
            scan9.setAttribute(Attribute.ofInts("scan_input_directions", directions));
        }
        Node condOut = new Node("", "Identity", base + "_cond_out");
        condOut.addInput(condIn);
        condOut.addOutput(new Value(body.uniqueName(base + "_cond_out"), scalar(DataType.BOOL)));
        body.append(condOut);
        body.addOutput(condOut.output(0));
        for (int i = 0; i < scan8.outputCount(); i++) {
            scan9.addOutput(new Value(body.uniqueName(base + "_element_out_" + i), elementType(scanBody, i)));
        }
        body.append(scan9);
        scan9.outputs().forEach(body::addOutput);
    }

    private static Node lower(Node node, NodeEditor edit) {
        int scanInputs = (int) Attrs.intOr(node, "num_scan_inputs", 0);
        for (String attribute : new String[] {"scan_input_axes", "scan_output_axes", "scan_output_directions"}) {
            long[] values = Attrs.ints(node, attribute);
            if (values != null && Arrays.stream(values).anyMatch(v -> v != 0)) {
                throw new Refusal(attribute + " " + Arrays.toString(values) + " has no Scan-8 form "
                        + "(Scan-8 scans axis 1 after its batch axis and appends outputs)");
            }
        }
        List<Value> batched = new ArrayList<>();
        batched.add(null); // sequence_lens: every sequence runs its full length, as in Scan-9
        for (Value v : node.inputs()) {
            batched.add(edit.apply("Unsqueeze", List.of(v), Attribute.ofInts("axes", 0)));
        }
        List<Attribute> attributes = new ArrayList<>();
        attributes.add(node.attribute("body").orElseThrow(() -> new Refusal("the body attribute is missing")));
        attributes.add(Attribute.ofInt("num_scan_inputs", scanInputs));
        long[] directions = Attrs.ints(node, "scan_input_directions");
        if (directions != null) {
            attributes.add(Attribute.ofInts("directions", directions));
        }
        Node scan8 = edit.insert("Scan", batched, node.outputCount(), attributes.toArray(Attribute[]::new));
        List<Value> unbatched = new ArrayList<>();
        for (int i = 0; i < node.outputCount(); i++) {
            unbatched.add(node.output(i) == null ? null
                    : edit.apply("Squeeze", List.of(scan8.output(i)), Attribute.ofInts("axes", 0)));
        }
        edit.replaceOutputsAndRemoveAnchor(unbatched);
        return null;
    }

    private static ValueType scalar(DataType type) {
        return new ValueType.TensorType(type, Shape.of());
    }

    /** The element type of the Scan body's output {@code i} (shape left to inference), or unknown. */
    private static ValueType elementType(Graph scanBody, int i) {
        DataType type = i < scanBody.outputs().size() ? scanBody.outputs().get(i).elemType() : null;
        return type == null ? null : new ValueType.TensorType(type, null);
    }
}
