package io.mconv.agent.check;

/**
 * One reason behind a verdict.
 *
 * @param rule       which rule found it
 * @param severity   what it does to the verdict
 * @param node       the node's name, or null for a model-level finding
 * @param opType     the operator ({@code domain::op} outside the default domain), or null
 * @param opset      the opset version of the node's domain (model-level: the version concerned), or -1
 * @param dtype      the type that is not supported ({@code T=tensor(int8)}), or null
 * @param message    the reason, in words
 * @param suggestion a command that would fix it ({@code mconv convert MODEL --to onnx --opset 13}), or null
 */
public record Finding(Rule rule, Severity severity, String node, String opType, int opset, String dtype,
                      String message, String suggestion) {

    /** The rules of the checker, with the name reports and JSON use. */
    public enum Rule {
        IR_VERSION("ir-version"),
        OPSET_RANGE("opset-range"),
        OPERATOR("operator"),
        DATA_TYPE("data-type"),
        ATTRIBUTE("attribute"),
        CAVEAT("caveat"),
        CUSTOM_DOMAIN("custom-domain"),
        DYNAMIC_SHAPE("dynamic-shape"),
        MODEL_SIZE("model-size"),
        EXTERNAL_DATA("external-data"),
        UNCONFIRMED_KERNEL("unconfirmed-kernel"),
        UNKNOWN_TYPE("unknown-type");

        private final String id;

        Rule(String id) {
            this.id = id;
        }

        public String id() {
            return id;
        }
    }

    /** What a finding does to the verdict. */
    public enum Severity {
        /** The target cannot run the model. */
        BLOCKS,
        /** The node runs on ONNX Runtime's CPU provider instead of the target. */
        FALLS_BACK,
        /** Worth knowing; the model still runs. */
        WARNING;

        public String id() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }
    }

    static Finding model(Rule rule, Severity severity, int opset, String message, String suggestion) {
        return new Finding(rule, severity, null, null, opset, null, message, suggestion);
    }
}
