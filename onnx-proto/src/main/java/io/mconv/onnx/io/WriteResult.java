package io.mconv.onnx.io;

import java.nio.file.Path;

/**
 * What {@link ModelWriter#write} produced.
 *
 * @param modelFile the {@code .onnx} file written
 * @param dataFile the external data file written, or null when every tensor stayed inline
 * @param modelBytes size of the {@code .onnx} file
 * @param dataBytes size of the data file (0 when none)
 * @param externalTensors how many tensors point into the data file
 */
public record WriteResult(Path modelFile, Path dataFile, long modelBytes, long dataBytes, int externalTensors) {}
