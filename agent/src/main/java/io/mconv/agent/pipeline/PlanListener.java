package io.mconv.agent.pipeline;

/** Hears the progress of a plan: for a progress line on a terminal, or for tests. */
public interface PlanListener {

    PlanListener NONE = new PlanListener() {
    };

    /** A step starts ({@code index} counts from 1 up to {@code total}). */
    default void started(Tool step, int index, int total) {
    }

    /** A step finished, computed or taken from the cache. */
    default void finished(StepResult result, int index, int total) {
    }
}
