package io.mconv.agent.check;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.mconv.ir.Attribute;
import io.mconv.ir.AttributeKind;
import io.mconv.ir.DataType;
import io.mconv.ir.Graph;
import io.mconv.ir.Model;
import io.mconv.ir.Node;
import io.mconv.ir.Tensor;
import io.mconv.ir.Value;
import io.mconv.ir.ValueType;
import io.mconv.ir.serde.ProtoExporter;
import io.mconv.schema.AttributeSchema;
import io.mconv.schema.FormalParameter;
import io.mconv.schema.OpSchema;
import java.util.List;
import java.util.Map;

/**
 * Asks ONNX Runtime whether it has a CPU kernel for one operator version with given input types: builds a model of
 * that single node (inputs of unknown shape, required attributes filled with harmless values) and creates a
 * session. Session creation resolves the graph and looks up a kernel for every node, which is exactly the
 * question; nothing is run.
 */
final class SingleNodeProbe {

    /** What ORT answered. */
    enum Answer { KERNEL, NO_KERNEL, INCONCLUSIVE }

    record Result(Answer answer, String message) {
    }

    private SingleNodeProbe() {
    }

    /**
     * @param bindings a type string per type constraint of the schema (constraints missing here are not bound:
     *                 inputs that use them are left out when optional)
     * @param castTo   for an output-only constraint set by an attribute (Cast's {@code to}), the element type
     */
    static Result probe(OpSchema schema, Map<String, String> bindings, DataType castTo) {
        Model model;
        try {
            model = build(schema, bindings, castTo);
        } catch (IllegalArgumentException e) {
            return new Result(Answer.INCONCLUSIVE, "cannot build: " + e.getMessage());
        }
        return createSession(model);
    }

    /** Creates (and closes) a session for the model; the answer says whether ORT accepted it. */
    static Result createSession(Model model) {
        byte[] bytes = ProtoExporter.exportModel(model).toByteArray();
        // A plain session, not OrtModelRunner: ORT Java cannot describe optional-typed inputs, and asking for the
        // input list would fail a session that ORT itself created fine.
        try (OrtSession.SessionOptions so = new OrtSession.SessionOptions()) {
            so.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.NO_OPT);
            so.setIntraOpNumThreads(1);
            try (OrtSession ignored = OrtEnvironment.getEnvironment().createSession(bytes, so)) {
                return new Result(Answer.KERNEL, "");
            }
        } catch (OrtException e) {
            return classify(String.valueOf(e.getMessage()).replaceAll("\\s+", " "));
        }
    }

    /** Which refusals answer the kernel question; the rest (type inference, attribute checks) do not. */
    static Result classify(String message) {
        if (message.contains("Could not find an implementation for") || message.contains("is deprecated")) {
            return new Result(Answer.NO_KERNEL, message);
        }
        if (message.contains("Exception during initialization")) {
            // The kernel was found and constructed; its constructor refused our filler attributes.
            return new Result(Answer.KERNEL, message);
        }
        return new Result(Answer.INCONCLUSIVE, message);
    }

    static Model build(OpSchema schema, Map<String, String> bindings, DataType castTo) {
        Graph g = new Graph("probe");
        Model model = new Model(g);
        // IR 10 so that every element type (float8, int4) is legal in the file.
        model.setIrVersion(10L);
        boolean defaultDomain = schema.domain().equals("ai.onnx");
        model.opsetImports().put("", defaultDomain ? schema.sinceVersion() : 17);
        if (!defaultDomain) {
            model.opsetImports().put(schema.domain(), schema.sinceVersion());
        }
        Node n = new Node(defaultDomain ? "" : schema.domain(), schema.name(), "probe_node");
        List<FormalParameter> formals = schema.inputs();
        int last = lastInputNeeded(formals, bindings);
        int counter = 0;
        for (int i = 0; i <= last; i++) {
            FormalParameter p = formals.get(i);
            String type = p.isConcreteType() ? p.typeString() : bindings.get(p.typeString());
            if (type == null) {
                if (!p.isOptional()) {
                    throw new IllegalArgumentException("no type for required input " + p.name());
                }
                n.addInput(null);
                continue;
            }
            ValueType vt = TypeNames.parse(type)
                    .orElseThrow(() -> new IllegalArgumentException("type " + type + " cannot be fed"));
            int copies = p.isVariadic() ? Math.max(1, p.minArity()) : 1;
            for (int c = 0; c < copies; c++) {
                Value in = new Value("in" + counter++, vt);
                g.addInput(in);
                n.addInput(in);
            }
        }
        for (AttributeSchema a : schema.attributes().values()) {
            if (a.required()) {
                n.setAttribute(filler(schema, a));
            }
        }
        if (castTo != null) {
            n.setAttribute(castAttribute(schema, castTo));
        }
        if (schema.name().equals("Constant") && defaultDomain) {
            // No attribute of Constant is required by the schema, but it needs exactly one value.
            n.setAttribute(Attribute.ofTensor("value", Tensor.ofFloats("value", new long[0], 0f)));
        }
        for (int o = 0; o < Math.max(1, schema.minOutputs()); o++) {
            Value out = n.addOutput(new Value("out" + o, null));
            g.addOutput(out);
        }
        g.append(n);
        return model;
    }

    /** The index of the last input that is required or whose constraint the caller bound. */
    private static int lastInputNeeded(List<FormalParameter> formals, Map<String, String> bindings) {
        int last = -1;
        for (int i = 0; i < formals.size(); i++) {
            FormalParameter p = formals.get(i);
            if (!p.isOptional() || (!p.isConcreteType() && bindings.containsKey(p.typeString()))) {
                last = i;
            }
        }
        return last;
    }

    /** Cast-1 named the target type as a string; later versions use the element type code. */
    private static Attribute castAttribute(OpSchema schema, DataType to) {
        boolean asString = schema.attribute("to").map(a -> a.kind() == AttributeKind.STRING).orElse(false);
        return asString ? Attribute.ofString("to", to.name()) : Attribute.ofInt("to", to.code());
    }

    /** A value for a required attribute that type inference accepts without knowing shapes. */
    private static Attribute filler(OpSchema schema, AttributeSchema a) {
        String name = a.name();
        if (a.kind() == AttributeKind.GRAPH || a.kind() == AttributeKind.GRAPHS) {
            throw new IllegalArgumentException("graph attribute " + name);
        }
        if (name.equals("equation")) {
            return Attribute.ofString(name, "...->...");
        }
        if (name.equals("to")) {
            return castAttribute(schema, DataType.FLOAT);
        }
        return switch (a.kind()) {
            case INT -> Attribute.ofInt(name, 1);
            case FLOAT -> Attribute.ofFloat(name, 1f);
            case STRING -> Attribute.ofString(name, "");
            case INTS -> Attribute.ofInts(name, 1);
            case FLOATS -> Attribute.ofFloats(name, 1f);
            case STRINGS -> Attribute.ofStrings(name, List.of("a"));
            case TENSOR -> Attribute.ofTensor(name, Tensor.ofFloats(name, new long[0], 0f));
            default -> throw new IllegalArgumentException(schema.name() + ": cannot fill " + a.kind() + " " + name);
        };
    }
}
