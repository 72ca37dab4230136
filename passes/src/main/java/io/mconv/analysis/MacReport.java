package io.mconv.analysis;

import java.util.Map;

/**
 * Multiply-accumulate counts of a model.
 *
 * @param macs             MACs of the compute ops (Conv, ConvTranspose, Gemm, MatMul and their integer forms)
 * @param poolingMacs      MACs of pooling ops (MaxPool, AveragePool, LpPool, Global*), kept apart so callers can
 *                         include or exclude them
 * @param macsByOp         MACs per op type, compute and pooling ops alike
 * @param uncountedByOp    per op type, nodes whose MACs could not be computed (shapes not known)
 * @param assumedBatchOne  true when a symbolic batch dimension was counted as 1
 */
public record MacReport(long macs, long poolingMacs, Map<String, Long> macsByOp, Map<String, Integer> uncountedByOp,
                        boolean assumedBatchOne) {

    public MacReport {
        macsByOp = Map.copyOf(macsByOp);
        uncountedByOp = Map.copyOf(uncountedByOp);
    }

    public long totalWithPooling() {
        return macs + poolingMacs;
    }

    public int uncountedNodes() {
        return uncountedByOp.values().stream().mapToInt(Integer::intValue).sum();
    }

    /**
     * MACs per op type of the compute ops only (the entries that add up to {@link #macs()}), largest first, ties by
     * name, so reports read the same on every run.
     */
    public Map<String, Long> computeMacsByOp() {
        Map<String, Long> out = new java.util.LinkedHashMap<>();
        macsByOp.entrySet().stream()
                .filter(e -> !MacCounter.POOLING.contains(e.getKey()))
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }

    /** MACs of the given op type, 0 when none. */
    public long macsOf(String opType) {
        return macsByOp.getOrDefault(opType, 0L);
    }
}
