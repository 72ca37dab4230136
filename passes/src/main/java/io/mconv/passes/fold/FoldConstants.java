package io.mconv.passes.fold;

import io.mconv.eval.EvaluationException;
import io.mconv.eval.Evaluator;
import io.mconv.eval.UnsupportedEvaluationException;
import io.mconv.ir.DataType;
import io.mconv.ir.Graph;
import io.mconv.ir.Model;
import io.mconv.ir.Node;
import io.mconv.ir.Tensor;
import io.mconv.ir.Value;
import io.mconv.passes.OptimizationLevel;
import io.mconv.passes.Pass;
import io.mconv.passes.PassContext;
import io.mconv.passes.PassResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Computes nodes whose inputs are all constants with the reference evaluator ({@link Evaluator}) and replaces them
 * by initializers.
 *
 * <pre>
 * Before:  initializer s=[2,3] ─► Concat(s, [-1]) ─► Reshape(x, ·)
 * After:   initializer c=[2,3,-1] ─────────────────► Reshape(x, c)
 * </pre>
 *
 * Correct because a deterministic node of constant inputs computes the same tensor on every run; the evaluator
 * rounds each result to its element type as a runtime does, and it refuses (so nothing is folded) every op, opset,
 * attribute and element type it does not claim. Nodes are visited in order, so a whole constant chain folds in one
 * run and the pass is at its fixed point after it. The initializer takes the output's name.
 * <p>
 * Never folded: QuantizeLinear/DequantizeLinear/DynamicQuantizeLinear (a Q/DQ pair is how a quantized model says
 * which tensors are int8; folding a DequantizeLinear of a constant weight would turn the int8 weight back into
 * float), non-deterministic ops (RandomNormal, RandomUniform, RandomNormalLike, RandomUniformLike, Multinomial,
 * Bernoulli, Dropout), nodes without inputs (Constant is {@code constant-to-initializer}'s job), nodes holding
 * subgraphs, nodes of other domains, nodes whose output is a graph output (the node stays so the model's interface
 * keeps its producer; its inputs still fold), and inputs that are graph inputs too (IR &lt; 4 initializers a feed
 * may override).
 * <p>
 * Size rule (constant folding can blow a model up, as onnx-simplifier users see with ConstantOfShape/Expand/Tile):
 * a fold is refused when its outputs hold more than {@link #MAX_ELEMENTS} elements, or when they are larger than
 * {@link #SMALL_BYTES} and more than {@link #MAX_GROWTH} times the bytes of the node's inputs. For ConstantOfShape,
 * Expand, Tile and Range the element count is checked before computing, so a huge fold never allocates. Refusals
 * by size are reported as diagnostics.
 * <p>
 * Subgraphs: a node in an If/Loop/Scan body whose inputs are constants (its own or the outer graph's initializers)
 * folds into an initializer of that body. Function bodies are left alone: a FunctionProto holds no initializers.
 */
public final class FoldConstants implements Pass {

    /** Outputs above this many elements are never folded. */
    public static final long MAX_ELEMENTS = 1_000_000;
    /** Outputs up to this many bytes are always small enough. */
    public static final long SMALL_BYTES = 64 * 1024;
    /** Larger outputs may be at most this many times the bytes of the inputs. */
    public static final long MAX_GROWTH = 4;

    static final Set<String> NEVER_FOLDED = Set.of("QuantizeLinear", "DequantizeLinear", "DynamicQuantizeLinear",
            "RandomNormal", "RandomUniform", "RandomNormalLike", "RandomUniformLike", "Multinomial", "Bernoulli",
            "Dropout");

    private final Evaluator evaluator = new Evaluator();

    @Override
    public String name() {
        return "fold-constants";
    }

    @Override
    public String description() {
        return "compute nodes whose inputs are all constants (not Q/DQ, random ops, or folds that blow up size)";
    }

    @Override
    public OptimizationLevel level() {
        return OptimizationLevel.BASIC;
    }

    @Override
    public PassResult run(Model model, PassContext context) {
        int rewrites = 0;
        List<String> diagnostics = new ArrayList<>();
        List<Graph> graphs = new ArrayList<>();
        collect(model.graph(), graphs);
        for (Graph g : graphs) {
            for (Node n : g.nodes()) {
                if (!candidate(n)) {
                    continue;
                }
                List<Tensor> inputs = new ArrayList<>();
                long inputBytes = 0;
                for (Value v : n.inputs()) {
                    Tensor t = v == null ? null : v.constValue();
                    inputs.add(t);
                    inputBytes += t == null || t.dataType() == DataType.STRING ? 0 : t.byteSize();
                }
                long estimate = Estimates.outputElements(n, inputs);
                if (estimate > MAX_ELEMENTS) {
                    diagnostics.add(name() + ": left " + n + " alone: its output would hold " + estimate
                            + " elements (more than " + MAX_ELEMENTS + ")");
                    continue;
                }
                List<Tensor> outputs;
                try {
                    outputs = evaluator.evaluate(n, inputs);
                } catch (UnsupportedEvaluationException | EvaluationException e) {
                    diagnostics.add(name() + ": left " + n + " alone: " + e.getMessage());
                    continue;
                }
                Optional<String> tooBig = sizeRefusal(outputs, inputBytes);
                if (tooBig.isPresent()) {
                    diagnostics.add(name() + ": left " + n + " alone: " + tooBig.get());
                    continue;
                }
                replace(g, n, outputs);
                rewrites++;
            }
        }
        return new PassResult(rewrites, diagnostics);
    }

    /** Whether {@code n} is a fold candidate before asking the evaluator. */
    private boolean candidate(Node n) {
        if (!n.isDefaultDomain() || NEVER_FOLDED.contains(n.opType()) || n.inputCount() == 0
                || !n.subgraphs().isEmpty()) {
            return false;
        }
        boolean anyInput = false;
        for (Value v : n.inputs()) {
            if (v == null) {
                continue;
            }
            if (v.constValue() == null || !v.isInitializer() || v.isGraphInput()) {
                return false;
            }
            anyInput = true;
        }
        if (!anyInput) {
            return false;
        }
        for (Value out : n.outputs()) {
            if (out != null && out.isGraphOutput()) {
                return false;
            }
        }
        return evaluator.refusal(n).isEmpty();
    }

    static Optional<String> sizeRefusal(List<Tensor> outputs, long inputBytes) {
        long elements = 0;
        long bytes = 0;
        for (Tensor t : outputs) {
            elements += t.elementCount();
            bytes += t.byteSize();
        }
        if (elements > MAX_ELEMENTS) {
            return Optional.of("its output would hold " + elements + " elements (more than " + MAX_ELEMENTS + ")");
        }
        if (bytes > SMALL_BYTES && bytes > MAX_GROWTH * inputBytes) {
            return Optional.of("its output (" + bytes + " bytes) would be more than " + MAX_GROWTH
                    + " times its inputs (" + inputBytes + " bytes)");
        }
        return Optional.empty();
    }

    private static void replace(Graph g, Node n, List<Tensor> outputs) {
        for (int i = 0; i < n.outputCount(); i++) {
            Value out = n.output(i);
            if (out == null) {
                continue;
            }
            String name = out.name();
            out.setName(g.uniqueName(name + "_folded"));
            Value init = g.addInitializer(outputs.get(i).withName(name));
            init.setDocString(out.docString());
            out.replaceAllUsesWith(init);
        }
        g.remove(n);
    }

    private static void collect(Graph g, List<Graph> out) {
        out.add(g);
        for (Node n : g) {
            for (Graph sub : n.subgraphs()) {
                collect(sub, out);
            }
        }
    }
}
