package io.mconv.torch.export;

import io.mconv.ir.DataType;
import io.mconv.ir.Shape;

/**
 * One model input as the user describes it ({@code --input-shape x:1x3x224x224:float32}): the forward argument's
 * name, its shape (dims may be symbolic), and its element type (float32 when not given).
 */
public record InputSpec(String name, Shape shape, DataType type) {
}
