package io.mconv.agent.pipeline;

/** One constraint against its measured figure: {@code max-latency: 10 ms, measured 12.3 ms}. */
public record ConstraintCheck(String name, String limit, String measured, boolean met) {

    public String describe() {
        return "--" + name + " " + limit + ": measured " + measured + (met ? "" : " (missed)");
    }
}
