package io.mconv.agent.profile;

import java.util.List;

/**
 * Where one inference spends its time, from ONNX Runtime's profiler: kernel time per operator type and per node,
 * averaged over the profiled runs (the first run, which includes one-time allocations, is left out when there are
 * several).
 *
 * @param runs          profiled runs the averages are over
 * @param kernelMsPerRun sum of all node kernel times of one run; the shares are fractions of it
 * @param runMsPerRun   ORT's whole {@code model_run} time of one run (kernels plus the executor's own work)
 * @param byOpType      every operator type, slowest first
 * @param topNodes      the slowest nodes, slowest first (at most the number asked for)
 */
public record OpBreakdown(int runs, double kernelMsPerRun, double runMsPerRun, List<OpTime> byOpType,
                          List<OpTime> topNodes) {

    public OpBreakdown {
        byOpType = List.copyOf(byOpType);
        topNodes = List.copyOf(topNodes);
    }

    /**
     * @param name      the node name, or the operator type in {@link #byOpType}
     * @param opType    the operator type
     * @param provider  the execution provider that ran it (ORT's name), or "" when mixed or not recorded
     * @param nodes     how many nodes this covers (1 for a node)
     * @param msPerRun  kernel time per run
     * @param share     fraction of {@link #kernelMsPerRun}
     */
    public record OpTime(String name, String opType, String provider, int nodes, double msPerRun, double share) {
    }
}
