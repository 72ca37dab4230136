package io.mconv.eval;

/**
 * A claimed node whose inputs make it undefined or invalid: integer division by zero, a Reshape whose sizes do not
 * match, an index out of range. The message names the node.
 */
public final class EvaluationException extends RuntimeException {

    public EvaluationException(String message) {
        super(message);
    }
}
