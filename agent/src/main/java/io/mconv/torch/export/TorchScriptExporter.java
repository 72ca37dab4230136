package io.mconv.torch.export;

import io.mconv.agent.InvalidOptionException;
import io.mconv.ir.Dim;
import io.mconv.ir.Graph;
import io.mconv.ir.Model;
import io.mconv.ir.Shape;
import io.mconv.ir.Value;
import io.mconv.ir.ValueType;
import io.mconv.torch.archive.ScriptObject;
import io.mconv.torch.archive.TorchScriptArchive;
import io.mconv.torch.script.ClassDef;
import io.mconv.torch.script.FunctionDef;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Exports a TorchScript archive to an ONNX model in the IR: finds the root module's {@code forward}, checks that
 * every operator its code uses has a symbolic at the target opset (reporting all that do not at once), makes the
 * graph inputs from the user's shapes, runs {@code forward} through the {@link Interpreter}, and makes the returned
 * tensors the graph outputs.
 */
public final class TorchScriptExporter {

    private final SymbolicRegistry registry;

    public TorchScriptExporter() {
        this(SymbolicRegistry.standard());
    }

    public TorchScriptExporter(SymbolicRegistry registry) {
        this.registry = registry;
    }

    public SymbolicRegistry registry() {
        return registry;
    }

    /** The forward signature's argument names (self excluded), for messages and defaults. */
    public List<FunctionDef.Param> forwardParams(TorchScriptArchive archive) {
        FunctionDef forward = forward(new ClassTable(archive), archive.root());
        return forward.params().subList(1, forward.params().size());
    }

    /** Every operator call site in the model's code, with whether it is covered at {@code opset}. */
    public List<OpCoverage> listOps(TorchScriptArchive archive, int opset) {
        ClassTable classes = new ClassTable(archive);
        List<OpCoverage> out = new ArrayList<>();
        for (OpUse use : OpScanner.scan(classes, archive.root())) {
            out.add(new OpCoverage(use, covered(use.op(), opset), registry.lowestOpset(use.op()).orElse(0)));
        }
        return out;
    }

    /** One operator use and whether mconv lowers it at the asked opset. */
    public record OpCoverage(OpUse use, boolean covered, int lowestOpset) {
    }

    /**
     * @throws UnsupportedOpsException when operators lack symbolics (all listed)
     * @throws ExportException         when the code does something the lowering cannot express
     * @throws InvalidOptionException  when the inputs given do not match forward's arguments
     */
    public ExportResult export(TorchScriptArchive archive, ExportOptions options) {
        ClassTable classes = new ClassTable(archive);
        ScriptObject root = archive.root();
        FunctionDef forward = forward(classes, root);
        checkCoverage(classes, root, options.opset());

        Graph graph = new Graph("main_graph");
        Model model = new Model(graph);
        model.opsetImports().put("", options.opset());
        model.setIrVersion(irVersionFor(options.opset()));
        model.setProducerName("mconv");
        model.setProducerVersion("0.1.0");
        SymbolicContext ctx = new SymbolicContext(graph, options.opset());
        List<String> warnings = new ArrayList<>();

        List<SValue> args = new ArrayList<>();
        for (FunctionDef.Param p : forward.params().subList(1, forward.params().size())) {
            InputSpec spec = specFor(p.name(), options, forward);
            Value input = new Value(ctx.freshName(p.name()), new ValueType.TensorType(spec.type(),
                    withDynamicAxes(spec, options.dynamicAxes().get(p.name()))));
            graph.addInput(input);
            args.add(new SValue.TensorV(input));
        }
        Interpreter interpreter = new Interpreter(ctx, registry, classes, new WeightTable(ctx), archive.constants(),
                archive.limits());
        SValue result = interpreter.callMethod(new SValue.ObjectV(root, ""), "forward", args, List.of(), List.of());
        List<SValue> outputs = new ArrayList<>();
        flatten(result, outputs);
        if (outputs.isEmpty()) {
            throw new ExportException(null, "forward returns no tensors", null);
        }
        for (int i = 0; i < outputs.size(); i++) {
            graph.addOutput(outputValue(ctx, outputs.get(i), outputs.size() == 1 ? "output" : "output_" + i));
        }
        return new ExportResult(model, warnings);
    }

    private static FunctionDef forward(ClassTable classes, ScriptObject root) {
        ClassDef cls = classes.classDef(root.className()).orElseThrow(() -> new ExportException(null,
                "the archive has no code for its root class " + root.className(), null));
        return cls.method("forward").orElseThrow(() -> new ExportException(cls.pos(), "class " + cls.name()
                + " has no forward method", null));
    }

    private void checkCoverage(ClassTable classes, ScriptObject root, int opset) {
        Map<String, List<OpUse>> missing = new LinkedHashMap<>();
        for (OpUse use : OpScanner.scan(classes, root)) {
            if (!covered(use.op(), opset)) {
                missing.computeIfAbsent(use.op(), k -> new ArrayList<>()).add(use);
            }
        }
        if (!missing.isEmpty()) {
            List<UnsupportedOpsException.Unsupported> list = new ArrayList<>();
            missing.forEach((op, uses) -> list.add(new UnsupportedOpsException.Unsupported(op, uses.get(0),
                    uses.size(), registry.lowestOpset(op).orElse(0))));
            throw new UnsupportedOpsException(opset, list);
        }
    }

    boolean covered(String op, int opset) {
        if (registry.lookup(op, opset).isPresent()) {
            return true;
        }
        if (op.startsWith("aten::")) {
            String name = op.substring("aten::".length());
            if (Builtins.PYTHON_ATEN.contains(name) || ScalarArithmetic.OPS.contains(name)) {
                return true;
            }
            return name.endsWith("_") && !name.endsWith("__")
                    && registry.lookup(op.substring(0, op.length() - 1), opset).isPresent();
        }
        if (op.startsWith("prim::")) {
            return Builtins.PRIM.contains(op.substring("prim::".length()));
        }
        return false;
    }

    private static InputSpec specFor(String name, ExportOptions options, FunctionDef forward) {
        Optional<InputSpec> spec = options.inputs().stream().filter(s -> s.name().equals(name)).findFirst();
        if (spec.isPresent()) {
            return spec.get();
        }
        List<String> params = forward.params().subList(1, forward.params().size()).stream()
                .map(FunctionDef.Param::name).toList();
        if (options.inputs().size() == params.size() && options.inputs().stream().allMatch(s -> s.name().isEmpty())) {
            return options.inputs().get(params.indexOf(name));
        }
        throw new InvalidOptionException("forward takes " + params + "; give the shape of '" + name
                + "' with --input-shape " + name + ":DIMS[:DTYPE] (e.g. " + name + ":1x3x224x224)");
    }

    private static Shape withDynamicAxes(InputSpec spec, Map<Integer, String> axes) {
        if (axes == null || axes.isEmpty()) {
            return spec.shape();
        }
        List<Dim> dims = new ArrayList<>(spec.shape().dims());
        for (Map.Entry<Integer, String> e : axes.entrySet()) {
            if (e.getKey() < 0 || e.getKey() >= dims.size()) {
                throw new InvalidOptionException("--dynamic-axes " + spec.name() + ":" + e.getKey() + "=" + e.getValue()
                        + ": the input has rank " + dims.size());
            }
            dims.set(e.getKey(), Dim.symbolic(e.getValue()));
        }
        return new Shape(dims);
    }

    private static void flatten(SValue v, List<SValue> out) {
        if (v instanceof SValue.TupleV t) {
            t.elements().forEach(e -> flatten(e, out));
        } else if (v instanceof SValue.ListV l) {
            l.elements().forEach(e -> flatten(e, out));
        } else if (v instanceof SValue.DictV d) {
            d.entries().values().forEach(e -> flatten(e, out));
        } else if (!(v instanceof SValue.Const c && c.isNone())) {
            out.add(v);
        }
    }

    /**
     * A returned value as a named graph output. A value that is an input, an initializer or already an output
     * goes through an Identity, because a graph output must be its own value.
     */
    private static Value outputValue(SymbolicContext ctx, SValue v, String name) {
        Value t = ctx.tensorOf(v, null);
        if (t.producer() == null || t.isGraphOutput()) {
            t = ctx.op("Identity", List.of(t));
        }
        t.setName(ctx.freshName(name));
        return t;
    }

    /** The IR version that goes with an opset (ONNX's versioning table). */
    public static long irVersionFor(int opset) {
        if (opset <= 14) {
            return 7;
        }
        if (opset <= 18) {
            return 8;
        }
        if (opset <= 20) {
            return 9;
        }
        return 10;
    }
}
