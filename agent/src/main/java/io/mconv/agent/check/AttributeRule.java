package io.mconv.agent.check;

/**
 * A table line about one operator beyond its kernel: {@code refuse} (the target refuses the node when an integer
 * attribute has this value, e.g. ORT's CPU RNNs with {@code layout=1}) or {@code caveat} (a requirement the
 * table cannot check, e.g. a locale the host must have).
 *
 * @param attribute the attribute a refusal looks at; null for a caveat
 * @param value     the refused value
 */
public record AttributeRule(String domain, String opType, boolean refuse, String attribute, long value,
                            String reason) {

    /** True when this rule concerns a node of that operator with that attribute value (null when absent). */
    public boolean matches(String nodeDomain, String nodeOp, Long attributeValue) {
        if (!domain.equals(nodeDomain) || !opType.equals(nodeOp)) {
            return false;
        }
        return !refuse || (attributeValue != null && attributeValue == value);
    }
}
