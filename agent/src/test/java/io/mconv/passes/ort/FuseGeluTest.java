package io.mconv.passes.ort;

import static io.mconv.passes.ort.OrtTestSupport.attrs;
import static io.mconv.passes.ort.OrtTestSupport.fuse;
import static io.mconv.passes.ort.OrtTestSupport.ops;
import static io.mconv.passes.ort.OrtTestSupport.refusal;
import static io.mconv.passes.ort.OrtTestSupport.scalar;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mconv.ir.Attribute;
import io.mconv.ir.DataType;
import io.mconv.ir.Model;
import io.mconv.ir.Value;
import io.mconv.ir.testing.ModelBuilder;
import io.mconv.passes.Pass;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FuseGeluTest {

    private static final Pass PASS = FuseGelu.pass();

    /** torch's order: Div, Erf, Add 1, Mul x, Mul 0.5. */
    private static Value erfGelu(ModelBuilder b, Value x, boolean halfFirst) {
        Value d = b.node("Div", x, scalar(b, b.graph().uniqueName("sqrt2"), 1.4142135f));
        Value a = b.node("Add", b.node("Erf", d), scalar(b, b.graph().uniqueName("one"), 1f));
        if (halfFirst) {
            return b.node("Mul", b.node("Mul", x, scalar(b, b.graph().uniqueName("half"), 0.5f)), a);
        }
        return b.node("Mul", b.node("Mul", x, a), scalar(b, b.graph().uniqueName("half"), 0.5f));
    }

    @Test
    void erfGeluInBothTorchOrdersBecomesGelu() {
        ModelBuilder b = new ModelBuilder(17);
        Value x = b.input("x", DataType.FLOAT, 2, 3, 8);
        Value y1 = erfGelu(b, x, false);
        Value y2 = erfGelu(b, b.node("Relu", y1), true);
        b.output(y2, DataType.FLOAT, 2, 3, 8);
        Model after = fuse(PASS, b.model(), 2);
        assertEquals(Map.of("com.microsoft::Gelu", 2, "Relu", 1), ops(after));
        assertTrue(after.graph().initializers().isEmpty(), "the pattern's constants are gone");
    }

    @Test
    void biasAddBeforeGeluBecomesBiasGelu() {
        ModelBuilder b = new ModelBuilder(17);
        Value x = b.input("x", DataType.FLOAT, 4, 16);
        Value h = b.node("Add", b.node("MatMul", x, b.weight("w", 16, 8)), b.weight("bias", 8));
        b.output(erfGelu(b, h, false), DataType.FLOAT, 4, 8);
        Model after = fuse(PASS, b.model(), 1);
        assertEquals(Map.of("MatMul", 1, "com.microsoft::BiasGelu", 1), ops(after));
    }

    @Test
    void biasStaysAnAddWhenItsSumHasAnotherReader() {
        ModelBuilder b = new ModelBuilder(17);
        Value x = b.input("x", DataType.FLOAT, 4, 8);
        Value h = b.node("Add", x, b.weight("bias", 8));
        b.output(erfGelu(b, h, false), DataType.FLOAT, 4, 8);
        b.output(b.node("Neg", h), DataType.FLOAT, 4, 8);
        Model after = fuse(PASS, b.model(), 1);
        assertEquals(Map.of("Add", 1, "Neg", 1, "com.microsoft::Gelu", 1), ops(after));
    }

    @Test
    void tanhApproximationBecomesFastGeluWithBias() {
        ModelBuilder b = new ModelBuilder(17);
        Value x0 = b.input("x", DataType.FLOAT, 3, 8);
        Value x = b.node("Add", x0, b.weight("bias", 8));
        Value cube = b.node("Pow", x, scalar(b, "three", 3f));
        Value inner = b.node("Add", x, b.node("Mul", cube, scalar(b, "c", 0.044715f)));
        Value t = b.node("Tanh", b.node("Mul", inner, scalar(b, "k", 0.7978845608f)));
        Value y = b.node("Mul", b.node("Mul", x, scalar(b, "half", 0.5f)), b.node("Add", t, scalar(b, "one", 1f)));
        b.output(y, DataType.FLOAT, 3, 8);
        Model after = fuse(PASS, b.model(), 1);
        assertEquals(Map.of("com.microsoft::FastGelu", 1), ops(after));
        assertEquals(2, after.graph().firstNode().inputCount(), "x and the bias");
    }

    @Test
    void standardGeluOfOpset20BecomesGeluOrFastGelu() {
        ModelBuilder b = new ModelBuilder(20);
        Value x = b.input("x", DataType.FLOAT, 2, 5);
        Value y = b.nodeWith("Gelu", attrs(Attribute.ofString("approximate", "tanh")), b.node("Gelu", x));
        b.output(y, DataType.FLOAT, 2, 5);
        Model after = fuse(PASS, b.model(), 2);
        assertEquals(Map.of("com.microsoft::Gelu", 1, "com.microsoft::FastGelu", 1), ops(after));
    }

    @Test
    void refusesFanOutGraphOutputsWrongConstantsAndDoubles() {
        // the Erf output is also a graph output
        ModelBuilder b = new ModelBuilder(17);
        Value x = b.input("x", DataType.FLOAT, 2, 4);
        Value e = b.node("Erf", b.node("Div", x, scalar(b, "s", 1.4142135f)));
        b.output(b.node("Mul", b.node("Mul", x, b.node("Add", e, scalar(b, "one", 1f))), scalar(b, "h", 0.5f)),
                DataType.FLOAT, 2, 4);
        b.output(e, DataType.FLOAT, 2, 4);
        assertTrue(refusal(PASS, b.model()).contains("is a graph output"));

        // √2 off by more than 1e-6
        ModelBuilder c = new ModelBuilder(17);
        Value cx = c.input("x", DataType.FLOAT, 2, 4);
        Value ce = c.node("Erf", c.node("Div", cx, scalar(c, "s", 1.4143f)));
        c.output(c.node("Mul", c.node("Mul", cx, c.node("Add", ce, scalar(c, "one", 1f))), scalar(c, "h", 0.5f)),
                DataType.FLOAT, 2, 4);
        assertTrue(refusal(PASS, c.model()).contains("divided by √2"));

        // double: the CPU kernels are float32
        ModelBuilder d = new ModelBuilder(20);
        d.output(d.node("Gelu", d.input("x", DataType.DOUBLE, 3)), DataType.DOUBLE, 3);
        assertTrue(refusal(PASS, d.model()).contains("float32 only"));
    }

    @Test
    void refusesWhenTheModelImportsAnOpsetOfComMicrosoftWithoutTheOp() {
        ModelBuilder b = new ModelBuilder(20);
        b.output(b.node("Gelu", b.input("x", DataType.FLOAT, 3)), DataType.FLOAT, 3);
        b.model().opsetImports().put("com.microsoft", 0);
        Model copy = io.mconv.ir.serde.ModelCopier.copy(b.model());
        var r = PASS.run(copy, OrtTestSupport.CTX);
        assertEquals(0, r.rewrites());
        assertTrue(String.join("\n", r.diagnostics()).contains("does not exist at com.microsoft opset 0"));
    }

    @Test
    void geluInsideAnIfBranchIsFusedAndTheModelImportServesTheBranch() {
        ModelBuilder b = new ModelBuilder(20);
        Value cond = b.input("cond", DataType.BOOL);
        Value x = b.input("x", DataType.FLOAT, 2, 3);
        io.mconv.ir.Graph thenBranch = new io.mconv.ir.Graph("then");
        io.mconv.ir.Node gelu = new io.mconv.ir.Node("", "Gelu", "gelu_in_body");
        gelu.addInput(x);
        Value thenOut = gelu.addOutput(new Value("then_out", new io.mconv.ir.ValueType.TensorType(DataType.FLOAT,
                io.mconv.ir.Shape.of(2, 3))));
        io.mconv.ir.Graph elseBranch = new io.mconv.ir.Graph("else");
        io.mconv.ir.Node neg = new io.mconv.ir.Node("", "Neg", "neg_in_body");
        neg.addInput(x);
        Value elseOut = neg.addOutput(new Value("else_out", new io.mconv.ir.ValueType.TensorType(DataType.FLOAT,
                io.mconv.ir.Shape.of(2, 3))));
        io.mconv.ir.Node iff = new io.mconv.ir.Node("", "If", "if");
        iff.addInput(cond);
        iff.setAttribute(Attribute.ofGraph("then_branch", thenBranch));
        iff.setAttribute(Attribute.ofGraph("else_branch", elseBranch));
        Value y = iff.addOutput(new Value("y", null));
        b.graph().append(iff);
        thenBranch.append(gelu);
        thenBranch.addOutput(thenOut);
        elseBranch.append(neg);
        elseBranch.addOutput(elseOut);
        b.output(y, DataType.FLOAT, 2, 3);
        Model after = fuse(PASS, b.model(), 1);
        assertEquals(Map.of("If", 1, "Neg", 1, "com.microsoft::Gelu", 1), ops(after));
    }
}
