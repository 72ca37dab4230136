package io.mconv.passes.cleanup;

import io.mconv.ir.Graph;
import io.mconv.ir.Model;
import io.mconv.ir.Node;
import io.mconv.ir.Value;
import io.mconv.passes.Graphs;
import io.mconv.passes.OptimizationLevel;
import io.mconv.passes.Pass;
import io.mconv.passes.PassContext;
import io.mconv.passes.PassResult;
import java.util.ArrayList;
import java.util.List;

/**
 * Removes what cannot affect any output: nodes none of whose outputs is read or is a graph output, and
 * initializers nothing reads. Graph inputs stay, even unused ones: they are the model's interface, and a caller
 * that feeds them would break. An unused input that is only an initializer's legacy declaration (IR &lt; 4) goes
 * with its initializer.
 *
 * <pre>
 * Before:  x ─► Relu ─► y (output)      x ─► Neg ─► t   (t unused)      w (initializer, unused)
 * After:   x ─► Relu ─► y (output)
 * </pre>
 *
 * Subgraphs are cleaned too; a node inside a subgraph that reads an outer value counts as a use of it, so outer
 * values used only by subgraphs stay. Walking nodes last to first removes whole dead chains in one run.
 */
public final class EliminateDeadCode implements Pass {

    @Override
    public String name() {
        return "eliminate-dead-code";
    }

    @Override
    public String description() {
        return "remove nodes whose outputs nothing reads, and unused initializers";
    }

    @Override
    public OptimizationLevel level() {
        return OptimizationLevel.BASIC;
    }

    @Override
    public PassResult run(Model model, PassContext context) {
        int removed = 0;
        List<Graph> graphs = Graphs.all(model);
        // Inner graphs first: removing a dead node in a body can make an outer value dead.
        for (int i = graphs.size() - 1; i >= 0; i--) {
            Graph g = graphs.get(i);
            List<Node> nodes = g.nodes();
            for (int k = nodes.size() - 1; k >= 0; k--) {
                Node n = nodes.get(k);
                if (isDead(n)) {
                    g.remove(n);
                    removed++;
                }
            }
            for (Value init : new ArrayList<>(g.initializers().values())) {
                if (!init.hasUses() && !init.isGraphOutput()) {
                    if (init.isGraphInput()) {
                        g.removeInput(init);
                    }
                    g.removeInitializer(init.name());
                    removed++;
                }
            }
        }
        return PassResult.of(removed);
    }

    private static boolean isDead(Node n) {
        for (Value out : n.outputs()) {
            if (out != null && (out.hasUses() || out.isGraphOutput())) {
                return false;
            }
        }
        return true;
    }
}
