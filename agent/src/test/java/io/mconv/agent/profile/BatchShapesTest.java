package io.mconv.agent.profile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mconv.agent.InvalidOptionException;
import io.mconv.ir.DataType;
import io.mconv.ir.Dim;
import io.mconv.ir.Shape;
import io.mconv.ir.ValueType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BatchShapesTest {

    private static ValueType tensor(Dim... dims) {
        return new ValueType.TensorType(DataType.FLOAT, new Shape(List.of(dims)));
    }

    private static Map<String, ValueType> inputs() {
        Map<String, ValueType> in = new LinkedHashMap<>();
        in.put("ids", tensor(Dim.symbolic("batch"), Dim.symbolic("seq")));
        in.put("mask", tensor(Dim.unknown(), Dim.symbolic("seq")));
        in.put("scale", tensor(Dim.of(1)));
        return in;
    }

    @Test
    void batchSetsTheSymbolicFirstDimensionOfEveryBatchedInputOnly() {
        BatchShapes b = new BatchShapes("m.onnx", inputs(), Map.of());
        assertEquals(List.of("ids", "mask"), b.batchedInputs());
        Map<String, Shape> s = b.forBatch(8);
        assertEquals(8L, s.get("ids").dim(0).value());
        assertTrue(s.get("ids").dim(1).isSymbolic(), "the sequence stays symbolic (generated as 1)");
        assertEquals(8L, s.get("mask").dim(0).value());
        assertTrue(!s.containsKey("scale"), "a fixed first dimension is left alone");
    }

    @Test
    void userShapesKeepTheirOtherDimensions() {
        Shape user = new Shape(List.of(Dim.symbolic("batch"), Dim.of(128)));
        Map<String, Shape> s = new BatchShapes("m.onnx", inputs(), Map.of("ids", user)).forBatch(32);
        assertEquals(Shape.of(32, 128), s.get("ids"));
    }

    @Test
    void withoutBatchTheUserShapesPassThrough() {
        Shape user = Shape.of(2, 7);
        Map<String, Shape> s = new BatchShapes("m.onnx", inputs(), Map.of("ids", user)).forBatch(null);
        assertEquals(Map.of("ids", user), s);
    }

    @Test
    void aModelWithAFixedBatchIsRefusedNamingTheInputs() {
        Map<String, ValueType> fixed = Map.of("input", tensor(Dim.of(1), Dim.of(3), Dim.of(32), Dim.of(32)));
        InvalidOptionException e = assertThrows(InvalidOptionException.class,
                () -> new BatchShapes("tiny_cnn.onnx", fixed, Map.of()).forBatch(8));
        assertTrue(e.getMessage().startsWith("--batch 8: tiny_cnn.onnx has no input with a symbolic first dimension"),
                e.getMessage());
        assertTrue(e.getMessage().contains("(inputs: input tensor(float32, 1x3x32x32))"), e.getMessage());
    }

    @Test
    void aUserShapeThatFixesTheBatchConflictsWithBatch() {
        InvalidOptionException e = assertThrows(InvalidOptionException.class,
                () -> new BatchShapes("m.onnx", inputs(), Map.of("ids", Shape.of(4, 16))).forBatch(8));
        assertTrue(e.getMessage().contains("fixes the first dimension that --batch sets"), e.getMessage());
        assertThrows(InvalidOptionException.class, () -> new BatchShapes("m.onnx", inputs(), Map.of()).forBatch(0));
    }
}
