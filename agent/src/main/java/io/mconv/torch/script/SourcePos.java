package io.mconv.torch.script;

/**
 * Where a piece of serialized TorchScript sits: the archive entry ({@code code/__torch__/torch/nn/modules/conv.py}),
 * a 1-based line and column, and the byte offset into that file (the debug pickles map byte ranges of the
 * serialized code back to the user's original Python source).
 */
public record SourcePos(String file, int line, int column, int offset) {

    @Override
    public String toString() {
        return file + ":" + line + ":" + column;
    }
}
