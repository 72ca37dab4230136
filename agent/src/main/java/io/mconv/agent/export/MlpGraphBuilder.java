package io.mconv.agent.export;

import io.mconv.agent.InvalidOptionException;
import io.mconv.ir.Attribute;
import io.mconv.ir.DataType;
import io.mconv.ir.Dim;
import io.mconv.ir.Graph;
import io.mconv.ir.Model;
import io.mconv.ir.Node;
import io.mconv.ir.Shape;
import io.mconv.ir.Tensor;
import io.mconv.ir.Value;
import io.mconv.ir.ValueType;
import io.mconv.torch.export.TorchScriptExporter;

import java.util.List;

/**
 * Builds the ONNX graph of an {@link ArchSpec} MLP from its matched weights: input {@code input} float32
 * {@code [batch, D0]}, one {@code Gemm(x, W, b, transB=1)} per layer (W stays {@code [out, in]} as torch saved it,
 * so the initializer aliases the file's mapped storage instead of a transposed copy), the activation between
 * layers, output {@code output}. One builder per model: it numbers the values it makes.
 */
final class MlpGraphBuilder {

    /** The symbolic batch dimension's name when {@code --input-shape} does not fix it. */
    static final String BATCH = "batch";
    static final String INPUT = "input";
    static final String OUTPUT = "output";

    /** Gelu joined the default domain in opset 20; before it, torch.onnx writes the erf formula. */
    private static final int GELU_OPSET = 20;

    private final ArchSpec arch;
    private final int opset;
    private final Graph graph = new Graph("main_graph");
    private Dim batch;
    private int counter;

    MlpGraphBuilder(ArchSpec arch, int opset) {
        this.arch = arch;
        this.opset = opset;
    }

    /**
     * @param inputShape {@code [N, D0]} fixing the batch, or null for a symbolic batch
     * @throws InvalidOptionException when the input shape is not {@code [N, D0]}
     */
    Model build(List<LinearLayers.Layer> layers, Shape inputShape) {
        Model model = new Model(graph);
        model.opsetImports().put("", opset);
        model.setIrVersion(TorchScriptExporter.irVersionFor(opset));
        model.setProducerName("mconv");
        model.setProducerVersion("0.1.0");
        batch = batchDim(inputShape);
        Value x = new Value(INPUT, type(arch.inFeatures(0)));
        graph.addInput(x);
        for (int i = 0; i < layers.size(); i++) {
            x = linear(x, layers.get(i), arch.outFeatures(i));
            if (i < layers.size() - 1) {
                x = activation(x, arch.outFeatures(i));
            }
        }
        x.setName(OUTPUT);
        graph.addOutput(x);
        return model;
    }

    private Dim batchDim(Shape inputShape) {
        if (inputShape == null) {
            return Dim.symbolic(BATCH);
        }
        long d0 = arch.inFeatures(0);
        if (inputShape.rank() != 2 || !inputShape.dim(1).isKnown() || inputShape.dim(1).value() != d0) {
            throw new InvalidOptionException("--input-shape " + INPUT + ":" + inputShape + " does not fit --arch "
                    + arch + ", whose input is [N, " + d0 + "] (e.g. --input-shape " + INPUT + ":1x" + d0 + ")");
        }
        return inputShape.dim(0);
    }

    private Value linear(Value x, LinearLayers.Layer layer, long out) {
        Value w = graph.addInitializer(layer.weight().toIrTensor(layer.weightName()));
        w.setType(new ValueType.TensorType(DataType.FLOAT, Shape.of(layer.weight().sizes())));
        Value b = null;
        if (layer.bias() != null) {
            b = graph.addInitializer(layer.bias().toIrTensor(layer.biasName()));
            b.setType(new ValueType.TensorType(DataType.FLOAT, Shape.of(layer.bias().sizes())));
        }
        return b == null ? node("Gemm", out, List.of(x, w), Attribute.ofInt("transB", 1))
                : node("Gemm", out, List.of(x, w, b), Attribute.ofInt("transB", 1));
    }

    private Value activation(Value x, long features) {
        return switch (arch.activation()) {
            case RELU -> node("Relu", features, List.of(x));
            case TANH -> node("Tanh", features, List.of(x));
            case SIGMOID -> node("Sigmoid", features, List.of(x));
            case NONE -> x;
            case GELU -> opset >= GELU_OPSET ? node("Gelu", features, List.of(x)) : geluFormula(x, features);
        };
    }

    /** x * 0.5 * (1 + erf(x / sqrt 2)): exact GELU, the formula torch.onnx writes below opset 20. */
    private Value geluFormula(Value x, long features) {
        Value scaled = node("Div", features, List.of(x, scalar("sqrt_2", (float) Math.sqrt(2))));
        Value erf = node("Erf", features, List.of(scaled));
        Value onePlus = node("Add", features, List.of(erf, scalar("one", 1f)));
        Value times = node("Mul", features, List.of(x, onePlus));
        return node("Mul", features, List.of(times, scalar("half", 0.5f)));
    }

    private Value scalar(String name, float v) {
        String unique = "gelu_" + name + "_" + counter++;
        Value c = graph.addInitializer(Tensor.ofFloats(unique, new long[0], v));
        c.setType(new ValueType.TensorType(DataType.FLOAT, Shape.of()));
        return c;
    }

    private Value node(String opType, long features, List<Value> inputs, Attribute... attributes) {
        int id = counter++;
        Node n = new Node("", opType, opType + "_" + id);
        inputs.forEach(n::addInput);
        for (Attribute a : attributes) {
            n.setAttribute(a);
        }
        Value out = n.addOutput(new Value(opType.toLowerCase(java.util.Locale.ROOT) + "_" + id, type(features)));
        graph.append(n);
        return out;
    }

    private ValueType type(long features) {
        return new ValueType.TensorType(DataType.FLOAT, new Shape(List.of(batch, Dim.of(features))));
    }
}
