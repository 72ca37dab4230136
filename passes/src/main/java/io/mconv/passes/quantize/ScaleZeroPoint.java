package io.mconv.passes.quantize;

/** The affine map of one quantization group: {@code real = (code - zeroPoint) * scale}. */
public record ScaleZeroPoint(float scale, int zeroPoint) {
}
