package io.mconv.agent.check;

import io.mconv.agent.check.Finding.Rule;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/** Whether one table has a kernel for one node: operator, version and the types bound to its constraints. */
final class NodeSupport {

    /**
     * @param supported  true when a kernel line covers the node with its types
     * @param confirmed  false when the covering line is one the table marks as not confirmed
     * @param rule       why not (operator or data type), null when supported
     * @param dtype      the offending {@code constraint=type}, null unless the rule is the data type
     * @param reason     the reason in words, null when supported
     */
    record Answer(boolean supported, boolean confirmed, Rule rule, String dtype, String reason) {
        static Answer yes(boolean confirmed) {
            return new Answer(true, confirmed, null, null, null);
        }
    }

    private NodeSupport() {
    }

    static Answer check(CapabilityTable table, String domain, String opType, int version, Map<String, String> types) {
        if (!table.domains().contains(domain)) {
            return new Answer(false, true, Rule.CUSTOM_DOMAIN, null, "domain '" + domain + "' is not one "
                    + table.target() + " implements (" + String.join(", ", table.domains()) + ")");
        }
        Optional<KernelEntry> k = table.kernel(domain, opType, version);
        if (k.isEmpty()) {
            String others = table.kernels(domain, opType).stream().map(KernelEntry::range)
                    .collect(Collectors.joining(", "));
            return new Answer(false, true, Rule.OPERATOR, null, others.isEmpty()
                    ? "no " + table.target() + " kernel for " + opType
                    : "no " + table.target() + " kernel for " + opType + " version " + version + " (kernels for "
                            + "versions " + others + ")");
        }
        KernelEntry entry = k.get();
        for (Map.Entry<String, String> b : types.entrySet()) {
            if (!entry.allows(b.getKey(), b.getValue())) {
                String allowed = entry.types().get(b.getKey()).stream().map(TypeNames::shortName)
                        .collect(Collectors.joining(", "));
                return new Answer(false, true, Rule.DATA_TYPE, b.getKey() + "=" + b.getValue(), "no "
                        + table.target() + " kernel for " + opType + " version " + version + " with " + b.getKey()
                        + " = " + TypeNames.shortName(b.getValue()) + " (it takes " + allowed + ")");
            }
        }
        return Answer.yes(entry.confirmed());
    }
}
