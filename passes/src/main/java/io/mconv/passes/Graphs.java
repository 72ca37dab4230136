package io.mconv.passes;

import io.mconv.ir.Function;
import io.mconv.ir.Graph;
import io.mconv.ir.Model;
import io.mconv.ir.Node;
import java.util.ArrayList;
import java.util.List;

/** Every graph of a model a pass should visit: the main graph, its subgraphs (depth first), and function bodies. */
public final class Graphs {

    private Graphs() {
    }

    /** Main graph first, then each subgraph after the graph holding it, then local function bodies. */
    public static List<Graph> all(Model model) {
        List<Graph> out = new ArrayList<>();
        collect(model.graph(), out);
        for (Function f : model.functions()) {
            collect(f.body(), out);
        }
        return out;
    }

    private static void collect(Graph g, List<Graph> out) {
        out.add(g);
        for (Node n : g) {
            for (Graph sub : n.subgraphs()) {
                collect(sub, out);
            }
        }
    }

    /** Nodes of the main graph and its subgraphs (function bodies aside), for statistics. */
    public static int nodeCount(Model model) {
        List<Graph> graphs = new ArrayList<>();
        collect(model.graph(), graphs);
        return graphs.stream().mapToInt(Graph::nodeCount).sum();
    }
}
