package io.mconv.passes.opset;

/** Thrown by an adapter when one node has no equivalent at the target opset; the converter collects them all. */
final class Refusal extends RuntimeException {

    Refusal(String reason) {
        super(reason, null, false, false);
    }
}
