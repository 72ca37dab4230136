package io.mconv.agent.profile;

/**
 * Hears how a profile run is going, for a progress line on a terminal. Called from the profiling thread at most a
 * few times a second, never once per iteration.
 */
@FunctionalInterface
public interface ProfileListener {

    ProfileListener NONE = (model, stage, fraction) -> { };

    /**
     * @param model    the model's file name
     * @param stage    what runs now: {@code session}, {@code batch 8}, {@code op profile}
     * @param fraction progress of the stage in [0, 1], or -1 when unknown
     */
    void update(String model, String stage, double fraction);
}
