package io.mconv.agent.quantize.advisor;

/**
 * A node quantization can shrink and speed up: a MatMul, Gemm or Conv with a constant float weight, or a Gather
 * reading a constant float table (an embedding).
 *
 * @param node        the node's name (every node has one in the advisor's prepared copy)
 * @param weightBytes bytes of its constant weight (a weight shared by several nodes counts for each)
 * @param macs        its multiply-accumulates at the measured input shapes; 0 for Gather or when unknown
 * @param dynamicInt8 whether dynamic int8 quantizes it (MatMul, Gemm, Gather; Conv is left to static int8)
 */
public record QuantizableLayer(String node, String opType, long weightBytes, long macs, boolean dynamicInt8) {
}
