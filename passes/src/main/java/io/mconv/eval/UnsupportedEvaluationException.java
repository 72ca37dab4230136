package io.mconv.eval;

/**
 * The evaluator cannot compute a node: an op, opset, attribute or element type it does not claim. The message names
 * the op and the reason (for example {@code Cast: element type bfloat16 is not supported}).
 */
public final class UnsupportedEvaluationException extends UnsupportedOperationException {

    public UnsupportedEvaluationException(String message) {
        super(message);
    }
}
