package io.mconv.ir.serde;

import io.mconv.ir.Function;
import io.mconv.ir.Graph;
import io.mconv.ir.InvalidGraphException;
import io.mconv.ir.Node;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Refuses local functions that call themselves, directly or through other functions, including calls inside
 * If/Loop/Scan bodies. A runtime that inlines functions would never finish expanding such a model.
 */
final class FunctionCallGraph {

    private FunctionCallGraph() {
    }

    static void rejectRecursion(List<Function> functions) {
        Map<String, Function> byKey = new HashMap<>();
        for (Function f : functions) {
            byKey.put(f.qualifiedName(), f);
        }
        Map<Function, Integer> state = new HashMap<>();
        for (Function f : functions) {
            visit(f, byKey, state, new ArrayList<>());
        }
    }

    private static void visit(Function f, Map<String, Function> byKey, Map<Function, Integer> state,
                              List<String> path) {
        Integer s = state.get(f);
        if (s != null && s == 2) {
            return;
        }
        path.add(f.qualifiedName());
        if (s != null && s == 1) {
            throw new InvalidGraphException("local function " + path.get(path.indexOf(f.qualifiedName()))
                    + " is recursive: " + String.join(" -> ", path.subList(path.indexOf(f.qualifiedName()),
                    path.size())));
        }
        state.put(f, 1);
        for (Function callee : callees(f.body(), byKey)) {
            visit(callee, byKey, state, path);
        }
        state.put(f, 2);
        path.remove(path.size() - 1);
    }

    private static List<Function> callees(Graph g, Map<String, Function> byKey) {
        List<Function> out = new ArrayList<>();
        for (Node n : g) {
            String overload = n.overload() == null || n.overload().isEmpty() ? "" : ":" + n.overload();
            Function callee = byKey.get(n.domain() + "::" + n.opType() + overload);
            if (callee != null) {
                out.add(callee);
            }
            for (Graph sub : n.subgraphs()) {
                out.addAll(callees(sub, byKey));
            }
        }
        return out;
    }
}
