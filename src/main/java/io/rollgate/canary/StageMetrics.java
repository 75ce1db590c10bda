package io.rollgate.canary;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** Requests, errors and latency of one side (canary or stable) of one stage. */
@RegisterForReflection
public record StageMetrics(long requests, long errors, double errorRate, double latencyP95) {

    public static final StageMetrics NONE = new StageMetrics(0, 0, 0, 0);

    /** The p95 comes from the buckets, capped by the largest latency recorded (a bucket's bound may exceed it). */
    static StageMetrics of(long requests, long errors, long[] buckets, double maxLatency) {
        return new StageMetrics(requests, errors, requests == 0 ? 0 : (double) errors / requests,
                Math.min(LatencyHistogram.quantile(buckets, 0.95), maxLatency));
    }
}
