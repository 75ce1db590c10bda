package io.rollgate.canary;

/** Fixed latency buckets (upper bounds in ms, the last unbounded): p95 from counts, not stored samples. */
public final class LatencyHistogram {

    static final double[] BOUNDS = { 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000,
            Double.POSITIVE_INFINITY };

    private LatencyHistogram() {
    }

    public static int bucket(double latencyMs) {
        for (int i = 0; i < BOUNDS.length; i++) {
            if (latencyMs <= BOUNDS[i]) {
                return i;
            }
        }
        return BOUNDS.length - 1;
    }

    /**
     * The q-quantile (0-1) from bucket counts, interpolated linearly inside its bucket; the open last
     * bucket reports its lower bound. 0 without samples.
     */
    public static double quantile(long[] counts, double q) {
        long total = 0;
        for (long count : counts) {
            total += count;
        }
        if (total == 0) {
            return 0;
        }
        double rank = q * total;
        long seen = 0;
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] == 0) {
                continue;
            }
            if (seen + counts[i] >= rank) {
                double lower = i == 0 ? 0 : BOUNDS[i - 1];
                double upper = BOUNDS[i];
                if (Double.isInfinite(upper)) {
                    return lower;
                }
                return lower + (upper - lower) * ((rank - seen) / counts[i]);
            }
            seen += counts[i];
        }
        return BOUNDS[BOUNDS.length - 2];
    }
}
