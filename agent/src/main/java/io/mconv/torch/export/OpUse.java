package io.mconv.torch.export;

import io.mconv.torch.script.SourcePos;

/**
 * One call site of an operator in the archive's code: the qualified name ({@code aten::_convolution},
 * {@code prim::NumToTensor}), where it is, and the text of that source line.
 */
public record OpUse(String op, SourcePos pos, String sourceLine) {
}
