package io.mconv.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mconv.ir.Attribute;
import io.mconv.ir.DataType;
import io.mconv.ir.HalfPrecision;
import io.mconv.ir.Model;
import io.mconv.ir.Node;
import io.mconv.ir.Tensor;
import io.mconv.ir.Value;
import io.mconv.ir.testing.ModelBuilder;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EvaluatorTest {

    private final Evaluator eval = new Evaluator();

    private static Node node(String op, int inputs, Attribute... attrs) {
        ModelBuilder b = new ModelBuilder(17);
        Value[] in = new Value[inputs];
        for (int i = 0; i < inputs; i++) {
            in[i] = b.input("i" + i, DataType.FLOAT, 1);
        }
        b.nodeWith(op, attrs, in);
        return b.graph().lastNode();
    }

    @Test
    void integerDivisionTruncatesTowardZeroAndRefusesZero() {
        Tensor a = Tensor.ofLongs("a", new long[]{3}, -7, 7, -1);
        Tensor b = Tensor.ofLongs("b", new long[]{3}, 2, -2, 3);
        assertArrayEquals(new long[]{-3, -3, 0}, eval.evaluate(node("Div", 2), List.of(a, b)).get(0).toLongArray());
        Tensor zero = Tensor.ofLongs("z", new long[]{1}, 0);
        EvaluationException e = assertThrows(EvaluationException.class,
                () -> eval.evaluate(node("Div", 2), List.of(a, zero)));
        assertTrue(e.getMessage().contains("division by zero"), e.getMessage());
    }

    @Test
    void castTruncatesFloatsAndRoundsToFloat16() {
        Tensor f = Tensor.ofFloats("f", new long[]{4}, -2.7f, 2.7f, 0f, Float.NaN);
        Node toInt = node("Cast", 1, Attribute.ofInt("to", DataType.INT32.code()));
        assertArrayEquals(new long[]{-2, 2, 0, 0}, eval.evaluate(toInt, List.of(f)).get(0).toLongArray());
        Node toBool = node("Cast", 1, Attribute.ofInt("to", DataType.BOOL.code()));
        assertArrayEquals(new long[]{1, 1, 0, 1}, eval.evaluate(toBool, List.of(f)).get(0).toLongArray());
        Node toHalf = node("Cast", 1, Attribute.ofInt("to", DataType.FLOAT16.code()));
        Tensor h = eval.evaluate(toHalf, List.of(Tensor.ofFloats("x", new long[]{1}, 1.0009765625f + 0.0001f)))
                .get(0);
        assertEquals(DataType.FLOAT16, h.dataType());
        assertEquals(HalfPrecision.float16ToFloat(HalfPrecision.floatToFloat16(1.0010765625f)), h.toFloatArray()[0]);
    }

    @Test
    void unsupportedTypesAreRefusedNamingOpAndType() {
        ByteBuffer buf = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
        Tensor u64 = Tensor.ofRaw("u", DataType.UINT64, new long[]{2}, buf);
        UnsupportedEvaluationException e = assertThrows(UnsupportedEvaluationException.class,
                () -> eval.evaluate(node("Max", 2), List.of(u64, u64)));
        assertEquals("Max: element type uint64 (input 0) is not supported", e.getMessage());
        Node toBf16 = node("Cast", 1, Attribute.ofInt("to", DataType.BFLOAT16.code()));
        e = assertThrows(UnsupportedEvaluationException.class,
                () -> eval.evaluate(toBf16, List.of(Tensor.ofFloats("x", new long[]{1}, 1f))));
        assertTrue(e.getMessage().startsWith("Cast: element type bfloat16"), e.getMessage());
        Node conv = node("Conv", 2);
        assertEquals("no kernel for Conv", eval.refusal(conv).orElseThrow());
    }

    @Test
    void legacyAttributesAreRefused() {
        ModelBuilder b = new ModelBuilder(6);
        Value x = b.input("x", DataType.FLOAT, 2);
        b.nodeWith("Add", new Attribute[]{Attribute.ofInt("broadcast", 1)}, x, x);
        assertEquals("attribute 'broadcast' is not supported", eval.refusal(b.graph().lastNode()).orElseThrow());
    }

    @Test
    void runsAWholeGraph() {
        ModelBuilder b = new ModelBuilder(17);
        Value x = b.input("x", DataType.FLOAT, 2, 3);
        Value shape = b.constant(Tensor.ofLongs("s", new long[]{2}, 3, -1));
        Value t = b.nodeWith("Transpose", new Attribute[]{Attribute.ofInts("perm", 1, 0)}, x);
        Value y = b.node("Reshape", b.node("Relu", t), shape);
        b.output(y);
        Model m = b.model();
        Map<String, Tensor> out = eval.run(m, Map.of("x", Tensor.ofFloats("x", new long[]{2, 3}, 1, -2, 3, -4, 5, -6)));
        Tensor r = out.get(y.name());
        assertArrayEquals(new long[]{3, 2}, r.dims());
        assertEquals("[1.0, 0.0, 0.0, 5.0, 3.0, 0.0]", Arrays.toString(r.toFloatArray()));
    }
}
