package io.mconv.passes;

import io.mconv.ir.Node;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A rewrite rule that left a node alone, and why: a near miss the user may want explained ({@code --verbose}, the
 * convert report).
 */
public record RuleSkip(String rule, Node node, String reason) {

    /** How many nodes of one group are named before "and N more". */
    static final int NAMED_PER_GROUP = 3;

    @Override
    public String toString() {
        return rule + " skipped " + node + ": " + reason;
    }

    /**
     * The skips of a whole optimization, one line per rule and reason: only nodes still in the model (a node a
     * later pass removed or replaced has nothing left to explain), each with the reason its last check gave (a pass
     * that ran again after other rewrites saw the final graph), and many nodes with the same reason on one line
     * ("conv-mul skipped Mul(a), Mul(b), Mul(c) and 40 more: ...") instead of one line each.
     */
    public static List<String> summarize(List<RuleSkip> skips) {
        Map<List<Object>, RuleSkip> latest = new LinkedHashMap<>();
        for (RuleSkip s : skips) {
            latest.put(List.of(s.rule, s.node), s);
        }
        Map<List<String>, List<Node>> byReason = new LinkedHashMap<>();
        for (RuleSkip s : latest.values()) {
            if (s.node.graph() != null) {
                byReason.computeIfAbsent(List.of(s.rule, s.reason), k -> new ArrayList<>()).add(s.node);
            }
        }
        List<String> lines = new ArrayList<>();
        byReason.forEach((ruleAndReason, nodes) -> lines.add(ruleAndReason.get(0) + " skipped " + named(nodes) + ": "
                + ruleAndReason.get(1)));
        return lines;
    }

    private static String named(List<Node> nodes) {
        StringBuilder sb = new StringBuilder();
        int shown = Math.min(nodes.size(), NAMED_PER_GROUP);
        for (int i = 0; i < shown; i++) {
            if (i > 0) {
                sb.append(i == nodes.size() - 1 ? " and " : ", ");
            }
            sb.append(nodes.get(i));
        }
        if (nodes.size() > shown) {
            sb.append(" and ").append(nodes.size() - shown).append(" more");
        }
        return sb.toString();
    }
}
