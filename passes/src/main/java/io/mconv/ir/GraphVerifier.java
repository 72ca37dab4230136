package io.mconv.ir;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks the IR's structural invariants: one producer per value and unique value names within a scope; use lists
 * that match node inputs exactly; nodes in topological order; every graph output defined; subgraphs that read
 * only their own values and those of enclosing graphs; initializers that hold constants. Tests run it after every
 * pass, so a pass that corrupts the graph is caught where it happens, not when ORT later refuses the file.
 */
public final class GraphVerifier {

    private GraphVerifier() {
    }

    /** @throws InvalidGraphException listing every problem found */
    public static void verify(Model model) {
        List<String> problems = check(model);
        if (!problems.isEmpty()) {
            throw new InvalidGraphException(problems.size() + " IR invariant(s) broken: "
                    + String.join("; ", problems.subList(0, Math.min(10, problems.size())))
                    + (problems.size() > 10 ? "; ..." : ""));
        }
    }

    /** Every problem found, empty when the model is sound. */
    public static List<String> check(Model model) {
        List<String> problems = new ArrayList<>();
        checkGraph(model.graph(), new Visible(null), problems);
        for (Function f : model.functions()) {
            checkGraph(f.body(), new Visible(null), problems);
        }
        for (TrainingInfo ti : model.trainingInfo()) {
            Visible main = new Visible(null);
            main.defineAll(model.graph().definedValues());
            if (ti.initialization() != null) {
                checkGraph(ti.initialization(), new Visible(main), problems);
            }
            if (ti.algorithm() != null) {
                checkGraph(ti.algorithm(), new Visible(main), problems);
            }
        }
        return problems;
    }

    private static void checkGraph(Graph g, Visible scope, List<String> problems) {
        String where = "graph '" + g.name() + "'";
        Map<String, Value> names = new HashMap<>();
        for (Value v : g.inputs()) {
            define(v, names, where, problems);
            scope.define(v);
            checkOwner(v, g, where, problems);
        }
        for (Value v : g.initializers().values()) {
            if (v.constValue() == null) {
                problems.add(where + ": initializer '" + v.name() + "' has no constant");
            }
            if (!v.isGraphInput()) {
                define(v, names, where, problems);
            }
            scope.define(v);
            checkOwner(v, g, where, problems);
        }
        for (Value v : g.sparseInitializers().values()) {
            define(v, names, where, problems);
            scope.define(v);
        }
        for (Node n : g) {
            if (n.graph() != g) {
                problems.add(where + ": node " + n + " does not point back to its graph");
            }
            for (int i = 0; i < n.inputCount(); i++) {
                Value v = n.input(i);
                if (v == null) {
                    continue;
                }
                if (!scope.isVisible(v)) {
                    problems.add(where + ": node " + n + " reads '" + v.name() + "' before it is defined or from "
                            + "outside its scope");
                }
                if (!v.uses().contains(new Usage(n, i))) {
                    problems.add(where + ": value '" + v.name() + "' does not list its use by " + n + " input " + i);
                }
            }
            for (Graph sub : n.subgraphs()) {
                if (sub.outerGraph() != g) {
                    problems.add(where + ": subgraph '" + sub.name() + "' of " + n + " is not linked to its graph");
                }
                checkGraph(sub, new Visible(scope), problems);
            }
            for (int i = 0; i < n.outputCount(); i++) {
                Value v = n.output(i);
                if (v == null) {
                    continue;
                }
                if (v.producer() != n || v.producerIndex() != i) {
                    problems.add(where + ": value '" + v.name() + "' does not name " + n + " output " + i
                            + " as its producer");
                }
                define(v, names, where, problems);
                scope.define(v);
                checkOwner(v, g, where, problems);
            }
        }
        for (Value v : g.definedValues()) {
            for (Usage u : v.uses()) {
                if (u.node().graph() == null) {
                    problems.add(where + ": value '" + v.name() + "' is used by " + u.node()
                            + ", which is in no graph");
                } else if (u.node().input(u.inputIndex()) != v) {
                    problems.add(where + ": value '" + v.name() + "' lists a use by " + u.node() + " input "
                            + u.inputIndex() + " that reads something else");
                }
            }
        }
        for (Value v : g.outputs()) {
            if (!scope.isVisible(v)) {
                problems.add(where + ": output '" + v.name() + "' is not defined in the graph or an enclosing one");
            }
        }
    }

    private static void define(Value v, Map<String, Value> names, String where, List<String> problems) {
        Value previous = names.putIfAbsent(v.name(), v);
        if (previous != null && previous != v) {
            problems.add(where + ": two values are named '" + v.name() + "'");
        }
    }

    private static void checkOwner(Value v, Graph g, String where, List<String> problems) {
        if (v.graph() != g) {
            problems.add(where + ": value '" + v.name() + "' does not point back to its graph");
        }
    }

    /** The values defined so far in a graph and the graphs around it. */
    private static final class Visible {
        private final Set<Value> defined = Collections.newSetFromMap(new IdentityHashMap<>());
        private final Visible outer;

        Visible(Visible outer) {
            this.outer = outer;
        }

        void define(Value v) {
            defined.add(v);
        }

        void defineAll(List<Value> values) {
            defined.addAll(values);
        }

        boolean isVisible(Value v) {
            for (Visible s = this; s != null; s = s.outer) {
                if (s.defined.contains(v)) {
                    return true;
                }
            }
            return false;
        }
    }
}
