package io.mconv.passes.opset;

import io.mconv.ir.Attribute;
import io.mconv.ir.Node;
import io.mconv.ir.Tensor;
import java.util.List;

/**
 * Upsample (scales attribute until 9, then input; deprecated at 10) and Resize (10: scales only, Upsample's
 * meaning; 11: roi, scales, sizes and a coordinate transformation whose default, half_pixel, is not Upsample's;
 * 13: roi and scales optional; 18: antialias, axes, keep_aspect_ratio_policy; 19: half_pixel_symmetric).
 * Raising takes Upsample to Resize and spells the old sampling out (asymmetric coordinates, floor for nearest);
 * lowering needs a Resize that means exactly that, and no feature the older version lacks.
 */
final class ResizeAdapter implements OpAdapter {

    @Override
    public Node adapt(Node node, Span span, NodeEditor edit) {
        Node n = node;
        int from = span.from();
        if (n.opType().equals("Upsample")) {
            if (span.to() < 10) {
                return upsampleForm(n, span, edit);
            }
            n = upsampleToResize10(n, span, edit);
            from = 10;
        }
        Span resize = new Span(Math.max(from, 10), span.to());
        if (resize.up()) {
            return raise(n, resize);
        }
        return lower(n, new Span(from, span.to()));
    }

    /** Upsample between 7 and 9: the scales attribute and the scales input. */
    private static Node upsampleForm(Node n, Span span, NodeEditor edit) {
        if (span.raisesPast(9)) {
            float[] scales = n.attribute("scales").map(Attribute::asFloats)
                    .orElseThrow(() -> new Refusal("Upsample without scales"));
            n.removeAttribute("scales");
            NodeEditor.setInputAt(n, 1, edit.constant("scales", Tensor.ofFloats("", new long[] {scales.length},
                    scales)));
        } else if (span.lowersPast(9)) {
            n.setAttribute(Attribute.ofFloats("scales", constantScales(n, 1)));
            n.truncateInputs(1);
        }
        return n;
    }

    private static Node upsampleToResize10(Node n, Span span, NodeEditor edit) {
        if (span.from() < 9) {
            upsampleForm(n, new Span(span.from(), 9), edit);
        }
        Node r = edit.replace("Resize", 1);
        if (!Attrs.stringOr(r, "mode", "nearest").equals("nearest")
                && !Attrs.stringOr(r, "mode", "nearest").equals("linear")) {
            throw new Refusal("Upsample mode '" + Attrs.stringOr(r, "mode", "") + "' has no Resize equivalent");
        }
        return r;
    }

    private static Node raise(Node n, Span span) {
        NodeEditor edit = new NodeEditor(n);
        if (span.raisesPast(11)) {
            Node r = n;
            var scales = r.input(1);
            r.truncateInputs(1);
            r.addInput(span.to() >= 13 ? null : edit.emptyFloats("roi"));
            r.addInput(scales);
            r.setAttribute(Attribute.ofString("coordinate_transformation_mode", "asymmetric"));
            if (Attrs.stringOr(r, "mode", "nearest").equals("nearest")) {
                r.setAttribute(Attribute.ofString("nearest_mode", "floor"));
            }
        }
        return n;
    }

    private static Node lower(Node n, Span span) {
        NodeEditor edit = new NodeEditor(n);
        if (span.lowersPast(19) && "half_pixel_symmetric".equals(Attrs.stringOr(n, "coordinate_transformation_mode",
                ""))) {
            throw new Refusal("coordinate_transformation_mode 'half_pixel_symmetric' has no equivalent before 19");
        }
        if (span.lowersPast(18)) {
            Attrs.dropIfInt(n, "antialias", 0, "has no equivalent before opset 18");
            if (n.attribute("axes").isPresent()) {
                throw new Refusal("axes has no equivalent before opset 18");
            }
            if (!Attrs.stringOr(n, "keep_aspect_ratio_policy", "stretch").equals("stretch")) {
                throw new Refusal("keep_aspect_ratio_policy has no equivalent before opset 18");
            }
            n.removeAttribute("keep_aspect_ratio_policy");
        }
        if (span.lowersPast(13)) {
            if (n.inputCount() < 2 || n.input(1) == null) {
                NodeEditor.setInputAt(n, 1, edit.emptyFloats("roi"));
            }
            if (n.inputCount() < 3 || n.input(2) == null) {
                NodeEditor.setInputAt(n, 2, edit.emptyFloats("scales"));
            }
        }
        if (span.lowersPast(11)) {
            String mode = Attrs.stringOr(n, "mode", "nearest");
            boolean asymmetric = "asymmetric".equals(Attrs.stringOr(n, "coordinate_transformation_mode",
                    "half_pixel"));
            boolean floor = !mode.equals("nearest") || "floor".equals(Attrs.stringOr(n, "nearest_mode", ""));
            if (!asymmetric || !floor || mode.equals("cubic")) {
                throw new Refusal("only asymmetric nearest (floor) or linear resizing exists before opset 11");
            }
            if (n.inputCount() > 3 && n.input(3) != null) {
                throw new Refusal("sizes has no equivalent before opset 11");
            }
            var scales = n.input(2);
            n.truncateInputs(1);
            n.addInput(scales);
            for (String a : List.of("coordinate_transformation_mode", "nearest_mode", "cubic_coeff_a",
                    "exclude_outside", "extrapolation_value")) {
                n.removeAttribute(a);
            }
        }
        if (span.lowersPast(10)) {
            Node u = edit.replace("Upsample", 1);
            return upsampleForm(u, new Span(9, span.to()), new NodeEditor(u));
        }
        return n;
    }

    private static float[] constantScales(Node n, int input) {
        return NodeEditor.constantOf(n.input(input)).map(Tensor::toFloatArray)
                .orElseThrow(() -> new Refusal("scales are computed at run time; Upsample before 9 needs them as "
                        + "an attribute"));
    }
}
