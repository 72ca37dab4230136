package io.mconv.agent.prune;

import io.mconv.agent.quantize.LatencyComparison;
import io.mconv.agent.quantize.QualityReport;
import io.mconv.onnx.io.WriteResult;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * What a pruning did: the layers pruned and the ones left alone with their reasons, the parameters and weights
 * before and after, the sizes, and the effect against the original model (cosine, max abs error, top-1 agreement on
 * seeded inputs; median latency ratio, null when not timed).
 *
 * @param skipped one line per layer left alone: "node (op): reason"
 */
public record PruneResult(Path source, String method, double sparsityAsked, int layersPruned, List<String> skipped,
                          long parametersBefore, long parametersAfter, long nonzeroParametersAfter,
                          long layerWeightsBefore, long nonzeroLayerWeightsAfter, long sourceBytes,
                          WriteResult written, QualityReport quality, LatencyComparison latency, Duration elapsed) {

    public PruneResult {
        skipped = List.copyOf(skipped);
    }

    /** Share of the Conv/Gemm/MatMul weights of the original that are gone or zero now. */
    public double sparsityReached() {
        return layerWeightsBefore == 0 ? 0 : 1 - (double) nonzeroLayerWeightsAfter / layerWeightsBefore;
    }

    public long outputBytes() {
        return written.modelBytes() + written.dataBytes();
    }

    public double sizeRatio() {
        return (double) outputBytes() / sourceBytes;
    }

    /** 1 − the worst output cosine against the original. */
    public double accuracyDrop() {
        return 1 - quality.worstCosine();
    }
}
