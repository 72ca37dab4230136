package io.mconv.torch.export;

/**
 * Lowers one ATen (or prim) operator to ONNX: reads its bound arguments, emits nodes through the context and
 * returns the result (a tensor, a tuple of tensors, or a static Python value).
 */
@FunctionalInterface
public interface Symbolic {

    SValue apply(SymbolicContext ctx, BoundArgs args);
}
