package io.mconv.agent.inspect;

import java.util.List;
import java.util.Map;

/**
 * What {@code mconv inspect} tells about a model, computed without running it. Plain data: the CLI renders it as
 * text or JSON.
 *
 * @param nodes           nodes of the main graph
 * @param nodesInSubgraphs nodes inside If/Loop/Scan bodies (not counted in {@code nodes})
 * @param parameters      elements of all initializers (dense and sparse values)
 * @param weightBytes     bytes of initializer data, inline plus external
 */
public record InspectReport(
        String file,
        long fileBytes,
        Long irVersion,
        Map<String, Long> opsets,
        String producerName,
        String producerVersion,
        Long modelVersion,
        String graphName,
        Map<String, String> metadata,
        long parameters,
        long weightBytes,
        long inlineWeightBytes,
        long externalWeightBytes,
        List<ExternalFile> externalFiles,
        int nodes,
        int nodesInSubgraphs,
        int functions,
        Map<String, Integer> opHistogram,
        List<Port> inputs,
        List<Port> outputs,
        List<Initializer> largestInitializers,
        Macs macs) {

    /** A graph input or output: name, element type and shape ({@code ?} or a name for symbolic dims). */
    public record Port(String name, String type, String shape, List<Object> dims) {
    }

    public record Initializer(String name, String type, String shape, long elements, long bytes, boolean external) {
    }

    public record ExternalFile(String location, long bytes, int tensors) {
    }

    /**
     * Multiply-accumulates for one inference. {@code total} counts Conv, ConvTranspose, Gemm and MatMul;
     * pooling is reported apart. {@code unknownNodes} counts nodes whose shapes were not known, so their MACs are
     * missing; {@code assumedBatchOne} says a symbolic batch was counted as 1.
     */
    public record Macs(long total, Map<String, Long> byOpType, long pooling, int unknownNodes,
                       boolean assumedBatchOne) {
    }
}
