package io.mconv.ir.serde;

import io.mconv.ir.Graph;
import io.mconv.ir.InvalidGraphException;
import io.mconv.ir.Node;
import io.mconv.ir.Value;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.Collections;

/**
 * Orders a graph's nodes so that every value is produced before it is used, keeping the file's order wherever it is
 * already valid (a stable Kahn sort: among ready nodes, the earliest in the file goes first). A node that holds
 * subgraphs depends on the producers of the outer values those subgraphs read. A cycle is an error naming a node
 * on it; the sort never loops.
 */
final class TopologicalOrder {

    private TopologicalOrder() {
    }

    static List<Node> sort(List<Node> nodes, String graphName) {
        Map<Node, Integer> index = new IdentityHashMap<>();
        for (int i = 0; i < nodes.size(); i++) {
            index.put(nodes.get(i), i);
        }
        List<List<Integer>> consumers = new ArrayList<>(nodes.size());
        int[] pending = new int[nodes.size()];
        boolean inOrder = true;
        for (int i = 0; i < nodes.size(); i++) {
            consumers.add(new ArrayList<>());
        }
        for (int i = 0; i < nodes.size(); i++) {
            Set<Node> deps = Collections.newSetFromMap(new IdentityHashMap<>());
            collectDependencies(nodes.get(i), index, deps);
            for (Node d : deps) {
                int j = index.get(d);
                if (j == i) {
                    throw new InvalidGraphException("graph '" + graphName + "' has a cycle: node "
                            + describe(nodes.get(i), i) + " uses its own output");
                }
                if (j > i) {
                    inOrder = false;
                }
                consumers.get(j).add(i);
                pending[i]++;
            }
        }
        if (inOrder) {
            return nodes;
        }
        PriorityQueue<Integer> ready = new PriorityQueue<>();
        for (int i = 0; i < nodes.size(); i++) {
            if (pending[i] == 0) {
                ready.add(i);
            }
        }
        List<Node> out = new ArrayList<>(nodes.size());
        while (!ready.isEmpty()) {
            int i = ready.poll();
            out.add(nodes.get(i));
            for (int c : consumers.get(i)) {
                if (--pending[c] == 0) {
                    ready.add(c);
                }
            }
        }
        if (out.size() != nodes.size()) {
            for (int i = 0; i < nodes.size(); i++) {
                if (pending[i] > 0) {
                    throw new InvalidGraphException("graph '" + graphName + "' has a cycle through node "
                            + describe(nodes.get(i), i));
                }
            }
        }
        return out;
    }

    private static String describe(Node n, int i) {
        return "#" + i + " " + n;
    }

    /**
     * Producers (within {@code index}) of the node's inputs and of outer values its subgraphs read, as node inputs
     * or as graph outputs: a subgraph may yield an outer value directly, and when that value is the owner's own
     * output the model is a cycle (a fuzzing finding: such a subgraph passed the importer, not the verifier).
     */
    private static void collectDependencies(Node node, Map<Node, Integer> index, Set<Node> deps) {
        for (Value v : node.inputs()) {
            addProducer(v, index, deps);
        }
        for (Graph sub : node.subgraphs()) {
            for (Value out : sub.outputs()) {
                addProducer(out, index, deps);
            }
            for (Node inner : sub) {
                collectDependencies(inner, index, deps);
            }
        }
    }

    private static void addProducer(Value v, Map<Node, Integer> index, Set<Node> deps) {
        if (v != null && v.producer() != null && index.containsKey(v.producer())) {
            deps.add(v.producer());
        }
    }
}
