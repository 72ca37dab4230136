package io.mconv.agent.check;

import java.util.Map;
import java.util.Set;

/**
 * One line of a capability table: a target has a kernel for {@code domain::opType} at operator versions
 * {@code from..to} (inclusive; {@code to} is {@link Integer#MAX_VALUE} for "and later"), for the listed types of each
 * type constraint. A constraint the line does not name accepts any type. {@code probed} is false for lines whose
 * kernel the table's author could not confirm (the checker then assumes the kernel exists and says so).
 */
public record KernelEntry(String domain, String opType, int from, int to, Map<String, Set<String>> types,
                          boolean confirmed) {

    public KernelEntry {
        types = Map.copyOf(types);
    }

    public boolean covers(int version) {
        return version >= from && version <= to;
    }

    /** True when the constraint is unconstrained here or lists {@code typeString}. */
    public boolean allows(String constraint, String typeString) {
        Set<String> allowed = types.get(constraint);
        return allowed == null || allowed.contains(typeString);
    }

    /** {@code 7-12}, {@code 14+}. */
    public String range() {
        return to == Integer.MAX_VALUE ? from + "+" : from == to ? String.valueOf(from) : from + "-" + to;
    }
}
