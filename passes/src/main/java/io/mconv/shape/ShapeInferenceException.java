package io.mconv.shape;

/** A node whose inputs and attributes do not fit its operator's shape rules (incompatible broadcast, bad axis). */
public final class ShapeInferenceException extends RuntimeException {

    public ShapeInferenceException(String message) {
        super(message);
    }
}
