package io.mconv.agent.profile;

/**
 * Memory of one model's latency session, from the process's resident set (ORT's native memory included). -1 where
 * the figure is not available on this system.
 *
 * @param rssBeforeBytes    resident size before the session was created
 * @param rssAfterSessionBytes resident size after session creation (weights, ORT's initializers)
 * @param peakRssBytes      peak resident size (VmHWM) from before the session to the end of its timing loops
 * @param peakIsPerModel    true when the peak was reset before this model; false when it may include earlier work
 *                          of the process (the reset was refused)
 * @param arenaBytes        ORT's arena allocator size, or -1
 * @param arenaNote         why the arena figure is missing, or "" when present
 */
public record MemoryReport(long rssBeforeBytes, long rssAfterSessionBytes, long peakRssBytes, boolean peakIsPerModel,
                           long arenaBytes, String arenaNote) {

    /** Growth of the resident set over the run: peak minus the size before the session. */
    public long peakDeltaBytes() {
        return peakRssBytes < 0 || rssBeforeBytes < 0 ? -1 : peakRssBytes - rssBeforeBytes;
    }
}
