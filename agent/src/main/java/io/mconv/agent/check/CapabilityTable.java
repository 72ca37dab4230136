package io.mconv.agent.check;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What one runtime target can run, as read from its resource file: the document and version it describes, the
 * IR and opset versions it accepts, model-level limits, and the kernel lines per operator.
 *
 * @param target          the target's name ({@code cpu}, {@code cuda}, ...)
 * @param describes       the source document and version the table was written from
 * @param irMin           lowest IR version accepted
 * @param irMax           highest IR version accepted
 * @param opsets          per domain, the accepted opset range {@code [min, max]}
 * @param unlistedOps     what happens to an operator the table does not list
 * @param dynamicShapes   how the target treats inputs with symbolic or unknown dimensions
 * @param externalData    whether weights in external data files are supported
 * @param maxModelBytes   the largest model (file plus external data) the target can hold; {@code Long.MAX_VALUE}
 *                        when only the 2 GiB protobuf limit on the .onnx file itself applies
 * @param notes           free-text caveats the table's author recorded (printed with the verdict)
 * @param kernels         kernel lines keyed by {@code domain::opType}, ascending by version
 * @param attributeRules  attribute values the target refuses and caveats about single operators
 */
public record CapabilityTable(String target, String describes, int irMin, int irMax, Map<String, int[]> opsets,
                              Unlisted unlistedOps, DynamicShapes dynamicShapes, boolean externalData,
                              long maxModelBytes, List<String> notes, Map<String, List<KernelEntry>> kernels,
                              List<AttributeRule> attributeRules) {

    /** What a target does with a node the table has no line for. */
    public enum Unlisted {
        /** No kernel: the model cannot run (a runtime without another one to hand nodes to). */
        REJECT,
        /** The execution provider leaves the node to ONNX Runtime's CPU provider. */
        FALLBACK_TO_CPU
    }

    /** How a target treats dynamic input shapes. */
    public enum DynamicShapes {
        SUPPORTED,
        /** Runs, but needs static shapes or optimization profiles to build its engine (TensorRT). */
        NEEDS_PROFILES,
        /** Nodes with dynamic shapes are not taken by the provider and fall back to the CPU provider. */
        FALLBACK_TO_CPU
    }

    public CapabilityTable {
        opsets = Map.copyOf(opsets);
        notes = List.copyOf(notes);
        kernels = Map.copyOf(kernels);
        attributeRules = List.copyOf(attributeRules);
    }

    static String key(String domain, String opType) {
        return domain + "::" + opType;
    }

    /** The line covering this operator version, if any. */
    public Optional<KernelEntry> kernel(String domain, String opType, int version) {
        return kernels(domain, opType).stream().filter(k -> k.covers(version)).findFirst();
    }

    /** Every line for the operator, ascending by version. */
    public List<KernelEntry> kernels(String domain, String opType) {
        return kernels.getOrDefault(key(domain, opType), List.of());
    }

    /** The domains the target has at least one kernel in (ORT itself may still load other opset imports). */
    public Set<String> domains() {
        Set<String> out = new java.util.TreeSet<>();
        kernels.values().forEach(list -> list.forEach(k -> out.add(k.domain())));
        return out;
    }

    /** True when the provider hands what it cannot run to ONNX Runtime's CPU provider. */
    public boolean fallsBackToCpu() {
        return unlistedOps == Unlisted.FALLBACK_TO_CPU;
    }
}
