package io.mconv.analysis;

import io.mconv.ir.testing.Fixtures;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.mconv.ir.Attribute;
import io.mconv.ir.DataType;
import io.mconv.ir.Dim;
import io.mconv.ir.Model;
import io.mconv.ir.Shape;
import io.mconv.ir.Value;
import io.mconv.ir.serde.ExternalTensorResolver;
import io.mconv.ir.serde.ProtoImporter;
import io.mconv.ir.testing.ModelBuilder;
import io.mconv.onnx.proto.Onnx;
import io.mconv.shape.ShapeInference;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * MAC counts against the fixture facts (torch hooks over Conv and Linear, so pooling is excluded) and small
 * hand-computed cases.
 */
class MacCounterTest {


    private static Model load(String name) throws IOException {
        return ProtoImporter.importModel(Onnx.ModelProto.parseFrom(Files.readAllBytes(Fixtures.generated(name + ".onnx"))),
                ExternalTensorResolver.NONE);
    }

    private static long factsMacs(String name) throws IOException {
        String json = Files.readString(Fixtures.generated(name + ".facts.json"));
        Matcher m = Pattern.compile("\"macs\"\\s*:\\s*(\\d+)").matcher(json);
        assertTrue(m.find(), "no macs in facts of " + name);
        return Long.parseLong(m.group(1));
    }

    private static MacReport count(String name, Map<String, Shape> overrides) throws IOException {
        Model model = load(name);
        ShapeInference.infer(model, overrides);
        MacReport r = MacCounter.count(model);
        System.out.printf("%s: macs=%d (by op %s), pooling=%d, uncounted=%s, assumedBatchOne=%s, facts=%d%n",
                name, r.macs(), r.macsByOp(), r.poolingMacs(), r.uncountedByOp(), r.assumedBatchOne(),
                factsMacs(name));
        return r;
    }

    private static long convGemmMatMul(MacReport r) {
        return r.macsOf("Conv") + r.macsOf("Gemm") + r.macsOf("MatMul");
    }

    @Test
    void resnet18() throws IOException {
        MacReport r = count("resnet18", Map.of());
        assertEquals(1_813_561_344L, r.macsOf("Conv"));
        assertEquals(512_000L, r.macsOf("Gemm"));
        assertEquals(1_814_073_344L, convGemmMatMul(r));
        assertEquals(factsMacs("resnet18"), convGemmMatMul(r));
        assertEquals(0, r.uncountedNodes());
        assertFalse(r.assumedBatchOne());
        assertTrue(r.poolingMacs() > 0);
    }

    @Test
    void resnet18DynamicBatchCountsAsOne() throws IOException {
        MacReport r = count("resnet18_dynamic", Map.of());
        assertEquals(1_814_073_344L, convGemmMatMul(r));
        assertTrue(r.assumedBatchOne());
        assertEquals(0, r.uncountedNodes());
    }

    @Test
    void resnet18DynamicWithBatchOverride() throws IOException {
        Model model = load("resnet18_dynamic");
        String input = model.graph().inputs().get(0).name();
        ShapeInference.infer(model, Map.of(input, Shape.of(2, 3, 224, 224)));
        MacReport r = MacCounter.count(model);
        assertEquals(2 * 1_814_073_344L, convGemmMatMul(r));
        assertFalse(r.assumedBatchOne());
    }

    @Test
    void mobilenetV2() throws IOException {
        MacReport r = count("mobilenet_v2", Map.of());
        assertEquals(300_774_272L, convGemmMatMul(r));
        assertEquals(factsMacs("mobilenet_v2"), convGemmMatMul(r));
        assertEquals(0, r.uncountedNodes());
    }

    @Test
    void tinyCnn() throws IOException {
        MacReport r = count("tiny_cnn", Map.of());
        assertEquals(factsMacs("tiny_cnn"), convGemmMatMul(r));
    }

    @Test
    void bertLikeAtReferenceShape() throws IOException {
        MacReport r = count("bert_like", Map.of("input_ids", Shape.of(1, 16)));
        assertEquals(6_422_528L, convGemmMatMul(r));
        assertEquals(factsMacs("bert_like"), convGemmMatMul(r));
        assertEquals(0, r.uncountedNodes());
    }

    @Test
    void bertLikeDynamicKeepsSymbols() throws IOException {
        Model model = load("bert_like");
        ShapeInference.infer(model, Map.of());
        Value out = model.graph().outputs().get(0);
        assertEquals(new Shape(List.of(Dim.symbolic("batch"), Dim.symbolic("sequence"), Dim.of(128))), out.shape());
    }

    @Test
    void handComputedConvTransposeGemmPool() {
        ModelBuilder b = new ModelBuilder(17);
        Value x = b.input("x", DataType.FLOAT, 1, 4, 8, 8);
        Value w = b.weight("w", 4, 2, 3, 3); // ConvTranspose: [Cin, Cout/group, k, k]
        Value y = b.nodeWith("ConvTranspose", new Attribute[] {Attribute.ofInts("strides", 2, 2),
            Attribute.ofInt("group", 2)}, x, w);
        Value p = b.nodeWith("MaxPool", new Attribute[] {Attribute.ofInts("kernel_shape", 2, 2),
            Attribute.ofInts("strides", 2, 2)}, y);
        Value g = b.node("GlobalAveragePool", p);
        Value f = b.node("Flatten", g);
        Value wg = b.weight("wg", 10, 4);
        Value out = b.nodeWith("Gemm", new Attribute[] {Attribute.ofInt("transB", 1)}, f, wg);
        b.output(out);
        ShapeInference.infer(b.model(), Map.of());
        assertEquals(Shape.of(1, 4, 17, 17), y.shape());
        MacReport r = MacCounter.count(b.model());
        assertEquals(1L * 4 * 8 * 8 * 2 * 3 * 3, r.macsOf("ConvTranspose"));
        assertEquals(40L, r.macsOf("Gemm"));
        assertEquals(1L * 4 * 8 * 8 * 4, r.macsOf("MaxPool"));
        assertEquals(1L * 4 * 8 * 8, r.macsOf("GlobalAveragePool"));
        assertEquals(r.macsOf("ConvTranspose") + 40, r.macs());
        assertEquals(r.macsOf("MaxPool") + r.macsOf("GlobalAveragePool"), r.poolingMacs());
    }

    @Test
    void unknownShapesAreCountedAsUncounted() {
        ModelBuilder b = new ModelBuilder(17);
        Value x = b.input("x", DataType.FLOAT, new Shape(List.of(Dim.symbolic("n"), Dim.unknown())));
        Value w = b.weight("w", 8, 4);
        Value y = b.node("MatMul", x, w);
        b.output(y);
        ShapeInference.infer(b.model(), Map.of());
        MacReport r = MacCounter.count(b.model());
        assertEquals(Map.of("MatMul", 1), r.uncountedByOp());
        assertEquals(0, r.macs());
    }
}
