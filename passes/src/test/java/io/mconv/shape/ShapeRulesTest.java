package io.mconv.shape;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mconv.ir.Attribute;
import io.mconv.ir.DataType;
import io.mconv.ir.Dim;
import io.mconv.ir.Node;
import io.mconv.ir.Shape;
import io.mconv.ir.Tensor;
import io.mconv.ir.Value;
import io.mconv.ir.ValueType;
import io.mconv.ir.testing.ModelBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Per-op shape rules with exact expected shapes, and the inference driver's contract. */
class ShapeRulesTest {

    private static final Dim BATCH = Dim.symbolic("batch");

    private static Shape s(Object... dims) {
        List<Dim> out = new ArrayList<>();
        for (Object d : dims) {
            out.add(d instanceof Dim dim ? dim : d instanceof String name ? Dim.symbolic(name)
                    : Dim.of(((Number) d).longValue()));
        }
        return new Shape(out);
    }

    private static Attribute[] attrs(Attribute... a) {
        return a;
    }

    private static Attribute ints(String name, long... v) {
        return Attribute.ofInts(name, v);
    }

    private static Value longs(ModelBuilder b, String name, long... v) {
        return b.constant(Tensor.ofLongs(name, new long[] {v.length}, v));
    }

    private static ShapeInferenceResult infer(ModelBuilder b, Value... outputs) {
        for (Value v : outputs) {
            b.output(v);
        }
        return ShapeInference.infer(b.model(), Map.of());
    }

    // ---- convolution and pooling -----------------------------------------------------------------------------

    @Test
    void convWithPadsStridesDilationsGroups() {
        ModelBuilder b = new ModelBuilder(17);
        Value x = b.input("x", DataType.FLOAT, 1, 4, 10, 10);
        Value y = b.nodeWith("Conv", attrs(ints("strides", 2, 2), ints("pads", 1, 1, 1, 1), ints("dilations", 2, 2),
                Attribute.ofInt("group", 2)), x, b.weight("w", 8, 2, 3, 3));
        infer(b, y);
        assertEquals(s(1, 8, 4, 4), y.shape());
        assertEquals(DataType.FLOAT, y.elemType());
    }

    @Test
    void convAutoPadAndSymbolicBatch() {
        ModelBuilder b = new ModelBuilder(17);
        Value x = b.input("x", DataType.FLOAT, s("batch", 3, 7, 7));
        Value w = b.weight("w", 16, 3, 3, 3);
        Value same = b.nodeWith("Conv", attrs(Attribute.ofString("auto_pad", "SAME_UPPER"), ints("strides", 2, 2)), x, w);
        Value lower = b.nodeWith("Conv", attrs(Attribute.ofString("auto_pad", "SAME_LOWER")), x, w);
        Value valid = b.nodeWith("Conv", attrs(Attribute.ofString("auto_pad", "VALID"), ints("strides", 2, 2)), x, w);
        Value k1 = b.nodeWith("Conv", attrs(Attribute.ofString("auto_pad", "VALID"), ints("kernel_shape", 1, 1)),
                b.input("z", DataType.FLOAT, s("n", 3, "h", "w")), b.weight("w1", 5, 3, 1, 1));
        infer(b, same, lower, valid, k1);
        assertEquals(s(BATCH, 16, 4, 4), same.shape());
        assertEquals(s(BATCH, 16, 7, 7), lower.shape());
        assertEquals(s(BATCH, 16, 3, 3), valid.shape());
        assertEquals(s("n", 5, "h", "w"), k1.shape());
    }

    @Test
    void convTranspose() {
        ModelBuilder b = new ModelBuilder(17);
        Value x = b.input("x", DataType.FLOAT, 1, 2, 3, 3);
        Value w = b.weight("w", 2, 3, 3, 3);
        Value plain = b.nodeWith("ConvTranspose", attrs(ints("strides", 3, 2), ints("output_padding", 1, 1)), x, w);
        Value padded = b.nodeWith("ConvTranspose", attrs(ints("strides", 3, 2), ints("pads", 1, 2, 1, 2)), x, w);
        Value explicit = b.nodeWith("ConvTranspose", attrs(ints("strides", 3, 2), ints("output_shape", 10, 8)), x, w);
        Value same = b.nodeWith("ConvTranspose", attrs(ints("strides", 2, 2),
                Attribute.ofString("auto_pad", "SAME_UPPER")), x, w);
        Value grouped = b.nodeWith("ConvTranspose", attrs(Attribute.ofInt("group", 2), ints("dilations", 2, 2)), x,
                b.weight("wg", 2, 3, 3, 3));
        infer(b, plain, padded, explicit, same, grouped);
        assertEquals(s(1, 3, 10, 8), plain.shape());
        assertEquals(s(1, 3, 7, 3), padded.shape());
        assertEquals(s(1, 3, 10, 8), explicit.shape());
        assertEquals(s(1, 3, 6, 6), same.shape());
        assertEquals(s(1, 6, 7, 7), grouped.shape());
    }

    @Test
    void poolingWithCeilMode() {
        ModelBuilder b = new ModelBuilder(17);
        Value x4 = b.input("x4", DataType.FLOAT, 1, 1, 4, 4);
        Value x5 = b.input("x5", DataType.FLOAT, 1, 1, 5, 5);
        Value floor = b.nodeWith("MaxPool", attrs(ints("kernel_shape", 3, 3), ints("strides", 2, 2)), x4);
        Value ceil = b.nodeWith("MaxPool", attrs(ints("kernel_shape", 3, 3), ints("strides", 2, 2),
                Attribute.ofInt("ceil_mode", 1)), x4);
        // the last window would start in the end padding: dropped (as PyTorch and ONNX Runtime do)
        Value ceilPadded = b.nodeWith("MaxPool", attrs(ints("kernel_shape", 2, 2), ints("strides", 2, 2),
                ints("pads", 1, 1, 1, 1), Attribute.ofInt("ceil_mode", 1)), x5);
        Value avgSame = b.nodeWith("AveragePool", attrs(ints("kernel_shape", 3, 3), ints("strides", 2, 2),
                Attribute.ofString("auto_pad", "SAME_UPPER")), x5);
        Value lp = b.nodeWith("LpPool", attrs(ints("kernel_shape", 2, 2)), x5);
        Value global = b.node("GlobalAveragePool", x5);
        infer(b, floor, ceil, ceilPadded, avgSame, lp, global);
        assertEquals(s(1, 1, 1, 1), floor.shape());
        assertEquals(s(1, 1, 2, 2), ceil.shape());
        assertEquals(s(1, 1, 3, 3), ceilPadded.shape());
        assertEquals(s(1, 1, 3, 3), avgSame.shape());
        assertEquals(s(1, 1, 4, 4), lp.shape());
        assertEquals(s(1, 1, 1, 1), global.shape());
    }

    // ---- linear algebra --------------------------------------------------------------------------------------

    @Test
    void matMulNumpySemantics() {
        ModelBuilder b = new ModelBuilder(17);
        Value v3 = b.input("v3", DataType.FLOAT, 3);
        Value m34 = b.input("m34", DataType.FLOAT, 3, 4);
        Value t234 = b.input("t234", DataType.FLOAT, 2, 3, 4);
        Value v4 = b.input("v4", DataType.FLOAT, 4);
        Value a = b.input("a", DataType.FLOAT, 2, 1, 3, 4);
        Value c = b.input("c", DataType.FLOAT, 5, 4, 6);
        Value h = b.input("h", DataType.FLOAT, s("batch", "seq", 128));
        Value dot = b.node("MatMul", v3, v3);
        Value vecMat = b.node("MatMul", v3, m34);
        Value matVec = b.node("MatMul", t234, v4);
        Value batched = b.node("MatMul", a, c);
        Value symbolic = b.node("MatMul", h, b.weight("w", 128, 64));
        infer(b, dot, vecMat, matVec, batched, symbolic);
        assertEquals(s(), dot.shape());
        assertEquals(s(4), vecMat.shape());
        assertEquals(s(2, 3), matVec.shape());
        assertEquals(s(2, 5, 3, 6), batched.shape());
        assertEquals(s("batch", "seq", 64), symbolic.shape());
    }

    @Test
    void gemmTransposes() {
        ModelBuilder b = new ModelBuilder(17);
        Value a = b.input("a", DataType.FLOAT, 4, 3);
        Value bt = b.weight("b", 5, 4);
        Value y = b.nodeWith("Gemm", attrs(Attribute.ofInt("transA", 1), Attribute.ofInt("transB", 1)), a, bt);
        Value plain = b.node("Gemm", b.input("p", DataType.FLOAT, s("batch", 4)), b.weight("q", 4, 7),
                b.weight("bias", 7));
        infer(b, y, plain);
        assertEquals(s(3, 5), y.shape());
        assertEquals(s("batch", 7), plain.shape());
    }

    @Test
    void einsum() {
        ModelBuilder b = new ModelBuilder(17);
        Value x = b.input("x", DataType.FLOAT, 2, 3, 4);
        Value w = b.input("w", DataType.FLOAT, 2, 4, 5);
        Value bmm = b.nodeWith("Einsum", attrs(Attribute.ofString("equation", "bij,bjk->bik")), x, w);
        Value implicit = b.nodeWith("Einsum", attrs(Attribute.ofString("equation", "bij,bjk")), x, w);
        Value ellipsis = b.nodeWith("Einsum", attrs(Attribute.ofString("equation", "...ij->...ji")), x);
        infer(b, bmm, implicit, ellipsis);
        assertEquals(s(2, 3, 5), bmm.shape());
        assertEquals(s(3, 5), implicit.shape()); // letters appearing once, alphabetical: i, k
        assertNull(ellipsis.shape());
    }

    // ---- reshapes --------------------------------------------------------------------------------------------

    @Test
    void reshapeZeroAndMinusOne() {
        ModelBuilder b = new ModelBuilder(17);
        Value x = b.input("x", DataType.FLOAT, 2, 3, 4);
        Value r1 = b.node("Reshape", x, longs(b, "s1", 0, -1));
        Value r2 = b.node("Reshape", x, longs(b, "s2", -1, 4));
        Value r3 = b.node("Reshape", x, longs(b, "s3", 4, 0, 2));
        Value z = b.input("z", DataType.FLOAT, 0, 4);
        Value allowZero = b.nodeWith("Reshape", attrs(Attribute.ofInt("allowzero", 1)), z, longs(b, "s4", 4, 0));
        Value sym = b.node("Reshape", b.input("y", DataType.FLOAT, s("batch", 3, 4)), longs(b, "s5", 0, -1));
        Value flat = b.node("Flatten", b.input("f", DataType.FLOAT, s("batch", 3, 4, 5)));
        Value flat0 = b.nodeWith("Flatten", attrs(Attribute.ofInt("axis", 0)), x);
        infer(b, r1, r2, r3, allowZero, sym, flat, flat0);
        assertEquals(s(2, 12), r1.shape());
        assertEquals(s(6, 4), r2.shape());
        assertEquals(s(4, 3, 2), r3.shape());
        assertEquals(s(4, 0), allowZero.shape());
        assertEquals(s("batch", 12), sym.shape());
        assertEquals(s("batch", 60), flat.shape());
        assertEquals(s(1, 24), flat0.shape());
    }

    /** The pattern torch.onnx emits for x.view(x.size(0), -1) with a dynamic batch. */
    @Test
    void reshapeThroughShapeGatherUnsqueezeConcat() {
        ModelBuilder b = new ModelBuilder(13);
        Value x = b.input("x", DataType.FLOAT, s("batch", 3, 4));
        Value shape = b.node("Shape", x);
        Value dim0 = b.node("Gather", shape, b.constant(Tensor.ofLongs("zero", new long[0], 0)));
        Value unsq = b.node("Unsqueeze", dim0, longs(b, "axes", 0));
        Value target = b.nodeWith("Concat", attrs(Attribute.ofInt("axis", 0)), unsq, longs(b, "minus1", -1));
        Value y = b.node("Reshape", x, target);
        infer(b, y);
        assertEquals(s(3), shape.shape());
        assertEquals(s(), dim0.shape());
        assertEquals(DataType.INT64, dim0.elemType());
        assertEquals(s(2), target.shape());
        assertEquals(s("batch", 12), y.shape());
    }

    @Test
    void squeezeAndUnsqueezeBothOpsetForms() {
        ModelBuilder old = new ModelBuilder(11);
        Value x = old.input("x", DataType.FLOAT, 1, 3, 1, 5);
        Value sq = old.nodeWith("Squeeze", attrs(ints("axes", 0, -2)), x);
        Value sqAll = old.node("Squeeze", x);
        Value unsq = old.nodeWith("Unsqueeze", attrs(ints("axes", 0, -1)), old.input("y", DataType.FLOAT, 3, 5));
        infer(old, sq, sqAll, unsq);
        assertEquals(s(3, 5), sq.shape());
        assertEquals(s(3, 5), sqAll.shape());
        assertEquals(s(1, 3, 5, 1), unsq.shape());

        ModelBuilder b = new ModelBuilder(13);
        Value x13 = b.input("x", DataType.FLOAT, 1, 3, 1, 5);
        Value sq13 = b.node("Squeeze", x13, longs(b, "a1", 0, -2));
        Value sqAll13 = b.node("Squeeze", x13);
        Value unsq13 = b.node("Unsqueeze", b.input("y", DataType.FLOAT, 3, 5), longs(b, "a2", 1, -1));
        Value dynamicAxes = b.node("Unsqueeze", b.input("z", DataType.FLOAT, 3, 5), b.input("axes", DataType.INT64, 1));
        ShapeInferenceResult r = infer(b, sq13, sqAll13, unsq13, dynamicAxes);
        assertEquals(s(3, 5), sq13.shape());
        assertEquals(s(3, 5), sqAll13.shape());
        assertEquals(s(3, 1, 5, 1), unsq13.shape());
        assertNull(dynamicAxes.shape());
        assertEquals(Map.of("Unsqueeze", 1), r.uninferredByOp());
    }

    @Test
    void sliceWithNegativeIndicesAndSteps() {
        ModelBuilder b = new ModelBuilder(13);
        Value x = b.input("x", DataType.FLOAT, 10, 6, 4);
        Value reversed = b.node("Slice", x, longs(b, "st1", -1), longs(b, "en1", -11), longs(b, "ax1", 0),
                longs(b, "sp1", -1));
        Value everyOther = b.node("Slice", x, longs(b, "st2", 8), longs(b, "en2", 1), longs(b, "ax2", 0),
                longs(b, "sp2", -2));
        Value tail = b.node("Slice", x, longs(b, "st3", -3, 1), longs(b, "en3", Long.MAX_VALUE, -1),
                longs(b, "ax3", 0, 2));
        Value clamped = b.node("Slice", x, longs(b, "st4", 2), longs(b, "en4", 1000), longs(b, "ax4", -2),
                longs(b, "sp4", 3));
        infer(b, reversed, everyOther, tail, clamped);
        assertEquals(s(10, 6, 4), reversed.shape());
        assertEquals(s(4, 6, 4), everyOther.shape());
        assertEquals(s(3, 6, 2), tail.shape());
        assertEquals(s(10, 2, 4), clamped.shape());
    }

    @Test
    void transposeConcatSplitGather() {
        ModelBuilder b = new ModelBuilder(18);
        Value x = b.input("x", DataType.FLOAT, s("batch", 3, 4));
        Value t = b.node("Transpose", x);
        Value tp = b.nodeWith("Transpose", attrs(ints("perm", 0, 2, 1)), x);
        Value c = b.nodeWith("Concat", attrs(Attribute.ofInt("axis", -1)), x, b.input("y", DataType.FLOAT, 1, 3, 5));
        Node split = new Node("", "Split", "split");
        split.addInput(b.input("z", DataType.FLOAT, 7, 2));
        split.setAttribute(Attribute.ofInt("num_outputs", 3));
        Value s0 = split.addOutput(new Value("s0", null));
        Value s1 = split.addOutput(new Value("s1", null));
        Value s2 = split.addOutput(new Value("s2", null));
        b.graph().append(split);
        Node split2 = new Node("", "Split", "split2");
        split2.addInput(b.input("w", DataType.FLOAT, 2, 6));
        split2.addInput(longs(b, "sizes", 1, 5));
        split2.setAttribute(Attribute.ofInt("axis", 1));
        Value a0 = split2.addOutput(new Value("a0", null));
        Value a1 = split2.addOutput(new Value("a1", null));
        b.graph().append(split2);
        Value g = b.nodeWith("Gather", attrs(Attribute.ofInt("axis", 1)), x,
                b.constant(Tensor.ofLongs("idx", new long[] {2, 2}, 0, 1, 2, 0)));
        infer(b, t, tp, c, s0, s1, s2, a0, a1, g);
        assertEquals(s(4, 3, "batch"), t.shape());
        assertEquals(s("batch", 4, 3), tp.shape());
        assertEquals(s(1, 3, 9), c.shape());
        assertEquals(s(3, 2), s0.shape());
        assertEquals(s(3, 2), s1.shape());
        assertEquals(s(1, 2), s2.shape());
        assertEquals(s(2, 1), a0.shape());
        assertEquals(s(2, 5), a1.shape());
        assertEquals(s("batch", 2, 2, 4), g.shape());
    }

    @Test
    void expandTilePad() {
        ModelBuilder b = new ModelBuilder(18);
        Value x = b.input("x", DataType.FLOAT, 3, 1);
        Value e = b.node("Expand", x, longs(b, "shape", 2, 1, 6));
        Value tile = b.node("Tile", x, longs(b, "rep", 2, 3));
        Value pad = b.node("Pad", b.input("p", DataType.FLOAT, 1, 3, 4, 4), longs(b, "pads", 0, 0, 1, 2, 0, 0, 1, 2));
        Value padAxes = b.node("Pad", b.input("q", DataType.FLOAT, 1, 3, 4, 4), longs(b, "pads2", 1, 3), null,
                longs(b, "axes", -1));
        infer(b, e, tile, pad, padAxes);
        assertEquals(s(2, 3, 6), e.shape());
        assertEquals(s(6, 3), tile.shape());
        assertEquals(s(1, 3, 6, 8), pad.shape());
        assertEquals(s(1, 3, 4, 8), padAxes.shape());
    }

    // ---- reductions and shape queries ------------------------------------------------------------------------

    @Test
    void reductions() {
        ModelBuilder old = new ModelBuilder(13);
        Value x = old.input("x", DataType.FLOAT, s("batch", 3, 4));
        Value mean = old.nodeWith("ReduceMean", attrs(ints("axes", -1)), x);
        Value maxAll = old.nodeWith("ReduceMax", attrs(Attribute.ofInt("keepdims", 0)), x);
        Value sum13 = old.nodeWith("ReduceSum", attrs(Attribute.ofInt("keepdims", 0)), x, longs(old, "ax", 1));
        Value sumNoop = old.nodeWith("ReduceSum", attrs(Attribute.ofInt("noop_with_empty_axes", 1)), x);
        Value arg = old.nodeWith("ArgMax", attrs(Attribute.ofInt("axis", 1), Attribute.ofInt("keepdims", 0)), x);
        infer(old, mean, maxAll, sum13, sumNoop, arg);
        assertEquals(s("batch", 3, 1), mean.shape());
        assertEquals(s(), maxAll.shape());
        assertEquals(s("batch", 4), sum13.shape());
        assertEquals(s("batch", 3, 4), sumNoop.shape());
        assertEquals(s("batch", 4), arg.shape());
        assertEquals(DataType.INT64, arg.elemType());

        ModelBuilder b = new ModelBuilder(18);
        Value y = b.input("y", DataType.FLOAT, 2, 3, 4);
        Value mean18 = b.node("ReduceMean", y, longs(b, "axes", 0, 2));
        Value dyn = b.node("ReduceMax", y, b.input("axes_in", DataType.INT64, 1));
        infer(b, mean18, dyn);
        assertEquals(s(1, 3, 1), mean18.shape());
        assertEquals(3, dyn.shape().rank());
        assertTrue(dyn.shape().dims().stream().noneMatch(Dim::isKnown));
    }

    @Test
    void shapeSizeConstantOfShapeRangeConstantTopK() {
        ModelBuilder b = new ModelBuilder(17);
        Value x = b.input("x", DataType.FLOAT, s("batch", 3, 4));
        Value shape = b.node("Shape", x);
        Value tail = b.nodeWith("Shape", attrs(Attribute.ofInt("start", -2)), x);
        Value size = b.node("Size", x);
        Value cos = b.node("ConstantOfShape", tail);
        Value cosInt = b.nodeWith("ConstantOfShape", attrs(Attribute.ofTensor("value",
                Tensor.ofLongs("v", new long[] {1}, 7))), longs(b, "dims", 2, 5));
        Value range = b.node("Range", b.constant(Tensor.ofLongs("start", new long[0], 1)),
                b.constant(Tensor.ofLongs("limit", new long[0], 10)), b.constant(Tensor.ofLongs("delta", new long[0], 3)));
        Value frange = b.node("Range", b.constant(Tensor.ofFloats("fs", new long[0], 0f)),
                b.constant(Tensor.ofFloats("fl", new long[0], 1f)), b.constant(Tensor.ofFloats("fd", new long[0], 0.25f)));
        Value constant = b.nodeWith("Constant", attrs(ints("value_ints", 1, 2, 3)));
        Value scalar = b.nodeWith("Constant", attrs(Attribute.ofFloat("value_float", 1f)));
        Node topk = new Node("", "TopK", "topk");
        topk.addInput(x);
        topk.addInput(longs(b, "k", 2));
        Value values = topk.addOutput(new Value("values", null));
        Value indices = topk.addOutput(new Value("indices", null));
        b.graph().append(topk);
        infer(b, shape, tail, size, cos, cosInt, range, frange, constant, scalar, values, indices);
        assertEquals(s(3), shape.shape());
        assertEquals(DataType.INT64, shape.elemType());
        assertEquals(s(2), tail.shape());
        assertEquals(s(), size.shape());
        assertEquals(s(3, 4), cos.shape());
        assertEquals(DataType.FLOAT, cos.elemType());
        assertEquals(s(2, 5), cosInt.shape());
        assertEquals(DataType.INT64, cosInt.elemType());
        assertEquals(s(3), range.shape());
        assertEquals(s(4), frange.shape());
        assertEquals(s(3), constant.shape());
        assertEquals(DataType.INT64, constant.elemType());
        assertEquals(s(), scalar.shape());
        assertEquals(s("batch", 3, 2), values.shape());
        assertEquals(DataType.INT64, indices.elemType());
    }

    @Test
    void resizeWithScalesAndSizes() {
        ModelBuilder b = new ModelBuilder(13);
        Value x = b.input("x", DataType.FLOAT, s("batch", 3, 5, 8));
        Value scaled = b.node("Resize", x, null, b.constant(Tensor.ofFloats("scales", new long[] {4}, 1f, 1f, 2f, 0.5f)));
        Value sized = b.node("Resize", x, null, null, longs(b, "sizes", 1, 3, 10, 12));
        infer(b, scaled, sized);
        assertEquals(s("batch", 3, 10, 4), scaled.shape());
        assertEquals(s(1, 3, 10, 12), sized.shape());
    }

    // ---- elementwise -----------------------------------------------------------------------------------------

    @Test
    void broadcastWithSymbols() {
        ModelBuilder b = new ModelBuilder(17);
        Value a = b.input("a", DataType.FLOAT, s("batch", 1, 4));
        Value c = b.input("c", DataType.FLOAT, s(1, 3, 4));
        Value seq = b.input("seq", DataType.FLOAT, s("seq", 4));
        Value batch2 = b.input("b2", DataType.FLOAT, s("batch", 4));
        Value add = b.node("Add", a, c);
        Value one = b.node("Mul", a, b.input("one", DataType.FLOAT, 1, 1, 1));
        Value same = b.node("Sub", batch2, batch2);
        Value different = b.node("Div", seq, batch2);
        Value less = b.node("Less", a, c);
        Value where = b.node("Where", less, a, c);
        Value sum = b.node("Sum", a, c, b.input("d", DataType.FLOAT, 4));
        infer(b, add, one, same, different, less, where, sum);
        assertEquals(s("batch", 3, 4), add.shape());
        assertEquals(s("batch", 1, 4), one.shape());
        assertEquals(s("batch", 4), same.shape());
        assertEquals(s(Dim.unknown(), 4), different.shape());
        assertEquals(DataType.BOOL, less.elemType());
        assertEquals(s("batch", 3, 4), less.shape());
        assertEquals(DataType.FLOAT, where.elemType());
        assertEquals(s("batch", 3, 4), sum.shape());
    }

    @Test
    void unaryCastDropoutNorms() {
        ModelBuilder b = new ModelBuilder(17);
        Value x = b.input("x", DataType.FLOAT, s("batch", 8));
        Value relu = b.node("Relu", x);
        Value gelu = b.node("Gelu", x);
        Value cast = b.nodeWith("Cast", attrs(Attribute.ofInt("to", DataType.FLOAT16.code())), x);
        Value not = b.node("Not", b.input("m", DataType.BOOL, 2));
        Node dropout = new Node("", "Dropout", "drop");
        dropout.addInput(x);
        Value d0 = dropout.addOutput(new Value("d0", null));
        Value mask = dropout.addOutput(new Value("mask", null));
        b.graph().append(dropout);
        Value ln = b.node("LayerNormalization", x, b.weight("g", 8), b.weight("bb", 8));
        Value soft = b.nodeWith("Softmax", attrs(Attribute.ofInt("axis", -1)), x);
        infer(b, relu, gelu, cast, not, d0, mask, ln, soft);
        assertEquals(s("batch", 8), relu.shape());
        assertEquals(s("batch", 8), gelu.shape());
        assertEquals(DataType.FLOAT16, cast.elemType());
        assertEquals(DataType.BOOL, not.elemType());
        assertEquals(s("batch", 8), d0.shape());
        assertEquals(DataType.BOOL, mask.elemType());
        assertEquals(s("batch", 8), ln.shape());
        assertEquals(s("batch", 8), soft.shape());
    }

    // ---- recurrent -------------------------------------------------------------------------------------------

    @Test
    void bidirectionalLstmOutputsAndStatesWithSymbolicBatch() {
        ModelBuilder b = new ModelBuilder(17);
        Value x = b.input("x", DataType.FLOAT, s(7, "batch", 4));
        Value y = b.nodeWith("LSTM", attrs(Attribute.ofInt("hidden_size", 5),
                Attribute.ofString("direction", "bidirectional")), x, b.weight("w", 2, 20, 4), b.weight("r", 2, 20, 5));
        Value yh = y.producer().addOutput(new Value("yh", null));
        Value yc = y.producer().addOutput(new Value("yc", null));
        infer(b, y, yh, yc);
        assertEquals(s(7, 2, BATCH, 5), y.shape());
        assertEquals(s(2, BATCH, 5), yh.shape());
        assertEquals(s(2, BATCH, 5), yc.shape());
        assertEquals(DataType.FLOAT, yc.elemType());
    }

    @Test
    void batchwiseGruTakesTheHiddenSizeFromRWhenTheAttributeIsMissing() {
        ModelBuilder b = new ModelBuilder(17);
        Value x = b.input("x", DataType.FLOAT, 2, 9, 4);
        Value y = b.nodeWith("GRU", attrs(Attribute.ofInt("layout", 1)), x, b.weight("w", 1, 9, 4),
                b.weight("r", 1, 9, 3));
        Value yh = y.producer().addOutput(new Value("yh", null));
        infer(b, y, yh);
        assertEquals(s(2, 9, 1, 3), y.shape());
        assertEquals(s(2, 1, 3), yh.shape());
    }

    // ---- the driver ------------------------------------------------------------------------------------------

    @Test
    void unknownOpIsLeftUntypedAndCounted() {
        ModelBuilder b = new ModelBuilder(17);
        Value x = b.input("x", DataType.FLOAT, 2, 3);
        Value foo = b.node("FooBar", x);
        Value relu = b.node("Relu", foo);
        Node custom = new Node("com.example", "Custom", "c");
        custom.addInput(x);
        Value c = custom.addOutput(new Value("c", null));
        b.graph().append(custom);
        ShapeInferenceResult r = infer(b, relu, c);
        assertNull(foo.type());
        assertNull(relu.type());
        assertNull(c.type());
        assertEquals(Map.of("FooBar", 1, "Relu", 1, "com.example::Custom", 1), r.uninferredByOp());
        assertTrue(r.valuesUnknown().containsAll(List.of(foo.name(), relu.name(), "c")));
        assertEquals(0, r.valuesTyped());
    }

    @Test
    void inputOverrides() {
        ModelBuilder b = new ModelBuilder(17);
        Value x = b.input("x", DataType.FLOAT, s("batch", 3, "h", "w"));
        Value y = b.nodeWith("Conv", attrs(ints("strides", 2, 2)), x, b.weight("w", 8, 3, 3, 3));
        b.output(y);
        IllegalArgumentException rank = assertThrows(IllegalArgumentException.class,
                () -> ShapeInference.infer(b.model(), Map.of("x", Shape.of(1, 3, 224))));
        assertTrue(rank.getMessage().contains("'x'"), rank.getMessage());
        IllegalArgumentException name = assertThrows(IllegalArgumentException.class,
                () -> ShapeInference.infer(b.model(), Map.of("nope", Shape.of(1))));
        assertTrue(name.getMessage().contains("'nope'"), name.getMessage());
        ShapeInferenceResult r = ShapeInference.infer(b.model(), Map.of("x", Shape.of(1, 3, 224, 224)));
        assertEquals(s(1, 3, 224, 224), x.shape());
        assertEquals(s(1, 8, 111, 111), y.shape());
        assertEquals(1, r.valuesTyped());
        assertEquals(0, r.uninferredNodes());
    }

    @Test
    void declaredTypesAreKeptAndOnlyUnknownDimsRefined() {
        ModelBuilder b = new ModelBuilder(17);
        Value x = b.input("x", DataType.FLOAT, s("batch", 8));
        Value relu = b.node("Relu", x);
        relu.setType(new ValueType.TensorType(DataType.FLOAT, s(Dim.unknown(), 8)));
        Value wrong = b.node("Sigmoid", x);
        wrong.setType(new ValueType.TensorType(DataType.FLOAT, s(Dim.unknown(), 9)));
        ShapeInferenceResult r = infer(b, relu, wrong);
        assertEquals(s("batch", 8), relu.shape());
        assertEquals(s("batch", 9), wrong.shape());
        assertTrue(r.warnings().stream().anyMatch(w -> w.contains(wrong.name())), r.warnings().toString());
    }

    @Test
    void incompatibleBroadcastIsAWarningNotAnError() {
        ModelBuilder b = new ModelBuilder(17);
        Value add = b.node("Add", b.input("a", DataType.FLOAT, 2, 3), b.input("c", DataType.FLOAT, 4, 3));
        ShapeInferenceResult r = infer(b, add);
        assertNull(add.type());
        assertEquals(Map.of("Add", 1), r.uninferredByOp());
        assertEquals(1, r.warnings().size());
    }

    @Test
    void rulesTableCanBeExtended() {
        ModelBuilder b = new ModelBuilder(17);
        Value foo = b.node("FooBar", b.input("x", DataType.FLOAT, 2, 3));
        b.output(foo);
        ShapeRules rules = ShapeRules.standard().register("FooBar",
                (n, ctx) -> ctx.setOutput(n, 0, DataType.INT8, Shape.of(6)));
        ShapeInferenceResult r = ShapeInference.infer(b.model(), Map.of(), rules);
        assertEquals(s(6), foo.shape());
        assertEquals(DataType.INT8, foo.elemType());
        assertEquals(0, r.uninferredNodes());
        assertTrue(ShapeRules.standard().get("FooBar").isEmpty());
    }
}
