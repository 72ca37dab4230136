package io.mconv.agent.pipeline;

/**
 * The kinds of step a conversion plan chains, in the order they run. {@link #failureType()} is the word a failure
 * report uses ("the quantization step failed"), which is what a CI log reader looks for.
 */
public enum StepKind {
    EXPORT("export", "export"),
    OPTIMIZE("optimize", "optimization"),
    QUANTIZE("quantize", "quantization"),
    VALIDATE("validate", "validation"),
    PROFILE("profile", "profiling");

    private final String spelling;
    private final String failureType;

    StepKind(String spelling, String failureType) {
        this.spelling = spelling;
        this.failureType = failureType;
    }

    public String spelling() {
        return spelling;
    }

    public String failureType() {
        return failureType;
    }

    @Override
    public String toString() {
        return spelling;
    }
}
