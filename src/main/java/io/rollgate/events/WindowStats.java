package io.rollgate.events;

/** Outcome counts of one rollout over its time window. */
public record WindowStats(long successCount, long errorCount, long enabledCount, long disabledCount) {

    public static final WindowStats NONE = new WindowStats(0, 0, 0, 0);

    /** Outcome events (success and error): what the rates are computed from. */
    public long samples() {
        return successCount + errorCount;
    }

    /** errors / (errors + successes); 0 without samples. */
    public double errorRate() {
        return samples() == 0 ? 0.0 : (double) errorCount / samples();
    }

    /** successes / (errors + successes); 0 without samples, so no data never looks healthy. */
    public double successRate() {
        return samples() == 0 ? 0.0 : (double) successCount / samples();
    }
}
