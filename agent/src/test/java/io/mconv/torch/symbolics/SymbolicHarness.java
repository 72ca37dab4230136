package io.mconv.torch.symbolics;

import io.mconv.agent.runtime.ort.OrtModelRunner;
import io.mconv.agent.runtime.ort.OrtSessionConfig;
import io.mconv.ir.DataType;
import io.mconv.ir.Graph;
import io.mconv.ir.GraphVerifier;
import io.mconv.ir.Model;
import io.mconv.ir.Shape;
import io.mconv.ir.Tensor;
import io.mconv.ir.Value;
import io.mconv.ir.ValueType;
import io.mconv.torch.export.SValue;
import io.mconv.torch.export.SymbolicContext;
import io.mconv.torch.export.SymbolicRegistry;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs one symbolic outside a TorchScript archive: declare graph inputs, call an ATen operator with lowering values
 * as the interpreter would, make the results graph outputs, and run the graph in ONNX Runtime (CPU, graph
 * optimizations off). Symbolic tests compare the outputs with numbers torch computed.
 */
public final class SymbolicHarness {

    private final Model model;
    private final SymbolicContext ctx;
    private final SymbolicRegistry registry;
    private final int opset;

    public SymbolicHarness(int opset) {
        this.opset = opset;
        Graph g = new Graph("symbolic_test");
        this.model = new Model(g);
        model.opsetImports().put("", opset);
        model.setIrVersion(io.mconv.torch.export.TorchScriptExporter.irVersionFor(opset));
        this.ctx = new SymbolicContext(g, opset);
        this.registry = SymbolicRegistry.standard();
    }

    public SymbolicContext context() {
        return ctx;
    }

    public Model model() {
        return model;
    }

    /** A graph input of the given type and static shape. */
    public SValue.TensorV input(String name, DataType type, long... dims) {
        Value v = new Value(name, new ValueType.TensorType(type, Shape.of(dims)));
        model.graph().addInput(v);
        return new SValue.TensorV(v);
    }

    /** Calls {@code op} (e.g. {@code aten::add}) with positional arguments. */
    public SValue call(String op, SValue... args) {
        return call(op, List.of(args), List.of(), List.of());
    }

    public SValue call(String op, List<SValue> args, List<String> kwNames, List<SValue> kwValues) {
        SymbolicRegistry.Registration reg = registry.lookup(op, opset).orElseThrow(() -> new AssertionError(
                "no symbolic for " + op + " at opset " + opset));
        return reg.symbolic().apply(ctx, reg.signature().bind(op, args, kwNames, kwValues));
    }

    /** Makes every tensor in {@code results} (flattening tuples and lists) a graph output, in order. */
    public SymbolicHarness output(SValue... results) {
        for (SValue r : results) {
            addOutputs(r);
        }
        return this;
    }

    private void addOutputs(SValue r) {
        if (r instanceof SValue.TupleV t) {
            t.elements().forEach(this::addOutputs);
        } else if (r instanceof SValue.ListV l) {
            l.elements().forEach(this::addOutputs);
        } else {
            Value v = ctx.tensorOf(r, null);
            if (v.producer() == null || v.isGraphOutput()) {
                v = ctx.op("Identity", List.of(v));
            }
            model.graph().addOutput(v);
        }
    }

    /** Verifies the graph and runs it in ORT; outputs in graph order. */
    public List<Tensor> run(Map<String, Tensor> feeds) {
        GraphVerifier.verify(model);
        try (OrtModelRunner runner = OrtModelRunner.open(model, OrtSessionConfig.forValidation())) {
            return new ArrayList<>(runner.run(new LinkedHashMap<>(feeds)).values());
        }
    }

    /** Op types of the graph's nodes in order, to assert the lowering's structure. */
    public List<String> opTypes() {
        List<String> out = new ArrayList<>();
        model.graph().forEach(n -> out.add(n.opType()));
        return out;
    }
}
