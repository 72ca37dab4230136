package io.mconv.passes.fold;

import io.mconv.ir.Attribute;
import io.mconv.ir.Graph;
import io.mconv.ir.Model;
import io.mconv.ir.Node;
import io.mconv.ir.Tensor;
import io.mconv.ir.Value;
import io.mconv.passes.Graphs;
import io.mconv.passes.OptimizationLevel;
import io.mconv.passes.Pass;
import io.mconv.passes.PassContext;
import io.mconv.passes.PassResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Turns {@code Constant} nodes into initializers, so that every later pass sees one kind of constant.
 *
 * <pre>
 * Before:  Constant(value=T) ─► c ─► Add(x, c)
 * After:   initializer c = T  ─► Add(x, c)
 * </pre>
 *
 * Correct because a Constant's output is by definition the tensor in its attribute; the initializer takes the
 * output's name, so nothing downstream is renamed. Handled: {@code value}, {@code value_float(s)},
 * {@code value_int(s)}, {@code value_string(s)}. Left alone, with a reason: {@code sparse_value} (a sparse
 * initializer would change how the model stores it; ONNX Runtime densifies it anyway), reference attributes (in
 * function bodies the value comes from the call), Constants whose output is a graph output (an initializer that is
 * also a graph output is legal ONNX but handled unevenly by runtimes; keeping the node keeps the model's interface
 * exactly), models of IR version &lt; 4 (where every initializer must also be a graph input, which would make the
 * constant overridable by a feed).
 * <p>
 * Subgraphs (If branches, Loop/Scan bodies) are converted too: a subgraph may hold initializers in ONNX, and a
 * constant there stays local to the body. Function bodies are left alone: a FunctionProto has no initializers.
 */
public final class ConstantToInitializer implements Pass {

    @Override
    public String name() {
        return "constant-to-initializer";
    }

    @Override
    public String description() {
        return "turn Constant nodes into initializers (graph outputs and sparse values stay)";
    }

    @Override
    public OptimizationLevel level() {
        return OptimizationLevel.BASIC;
    }

    @Override
    public PassResult run(Model model, PassContext context) {
        if (model.irVersion() != null && model.irVersion() < 4) {
            return PassResult.unchanged();
        }
        int rewrites = 0;
        List<Graph> graphs = new ArrayList<>();
        collect(model.graph(), graphs);
        for (Graph g : graphs) {
            for (Node n : g.nodes()) {
                if (!n.isDefaultDomain() || !n.opType().equals("Constant") || n.outputCount() != 1
                        || n.output(0) == null) {
                    continue;
                }
                Value out = n.output(0);
                if (out.isGraphOutput()) {
                    continue;
                }
                Optional<Tensor> value = valueOf(n);
                if (value.isEmpty()) {
                    continue;
                }
                g.remove(detach(n, out, g, value.get()));
                rewrites++;
            }
        }
        return PassResult.of(rewrites);
    }

    /** Makes an initializer holding the value, moves every use of {@code out} to it, and returns the node. */
    private static Node detach(Node n, Value out, Graph g, Tensor tensor) {
        String name = out.name();
        out.setName(g.uniqueName(name + "_constant"));
        Value init = g.addInitializer(tensor.withName(name));
        init.setDocString(out.docString());
        out.replaceAllUsesWith(init);
        return n;
    }

    /** The main graph and its subgraphs, not function bodies. */
    private static void collect(Graph g, List<Graph> out) {
        out.add(g);
        for (Node n : g) {
            for (Graph sub : n.subgraphs()) {
                collect(sub, out);
            }
        }
    }

    /** The dense value of a Constant node, or empty for sparse values, references and malformed nodes. */
    static Optional<Tensor> valueOf(Node n) {
        if (n.attributes().size() != 1) {
            return Optional.empty();
        }
        Attribute a = n.attributes().iterator().next();
        if (a.isReference()) {
            return Optional.empty();
        }
        String name = n.output(0).name();
        return switch (a.name()) {
            case "value" -> Optional.of(a.asTensor());
            case "value_float" -> Optional.of(Tensor.ofFloats(name, new long[0], a.asFloat()));
            case "value_floats" -> Optional.of(Tensor.ofFloats(name, new long[]{a.asFloats().length}, a.asFloats()));
            case "value_int" -> Optional.of(Tensor.ofLongs(name, new long[0], a.asInt()));
            case "value_ints" -> Optional.of(Tensor.ofLongs(name, new long[]{a.asInts().length}, a.asInts()));
            case "value_string" -> Optional.of(Tensor.ofStrings(name, new long[0],
                    List.of(a.asBytes())));
            case "value_strings" -> Optional.of(Tensor.ofStrings(name, new long[]{a.asStrings().size()},
                    a.asByteStrings()));
            default -> Optional.empty();
        };
    }
}
