package io.mconv.agent.quantize.advisor;

import java.util.List;
import java.util.Map;

/**
 * What quantization can reach in a model: its op mix, and how much of its compute and of its weight bytes sits in
 * quantizable ops. A model whose MACs are mostly outside those ops gets little speed from int8; one whose bytes
 * are mostly outside them gets little size.
 *
 * @param opMix                  node count per op type, most frequent first
 * @param totalMacs              MACs of every counted op (pooling excluded)
 * @param quantizableMacs        MACs of the quantizable layers
 * @param weightBytes            bytes of every initializer
 * @param quantizableWeightBytes bytes of the initializers the quantizable layers read (each counted once)
 * @param layers                 the quantizable layers, in graph order
 */
public record ModelProfile(Map<String, Integer> opMix, long totalMacs, long quantizableMacs, long weightBytes,
                           long quantizableWeightBytes, List<QuantizableLayer> layers) {

    public ModelProfile {
        opMix = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(opMix));
        layers = List.copyOf(layers);
    }

    public double macShare() {
        return totalMacs == 0 ? 0 : (double) quantizableMacs / totalMacs;
    }

    public double weightShare() {
        return weightBytes == 0 ? 0 : (double) quantizableWeightBytes / weightBytes;
    }

    /** The layers dynamic int8 quantizes (the ones the sensitivity scan can quantize one at a time). */
    public List<QuantizableLayer> dynamicLayers() {
        return layers.stream().filter(QuantizableLayer::dynamicInt8).toList();
    }
}
