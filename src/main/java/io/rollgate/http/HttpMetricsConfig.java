package io.rollgate.http;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Duration;

/**
 * Latency buckets for HTTP requests, so dashboards and alerts can compute p50/p99 with
 * histogram_quantile; a fixed, short list keeps the series count small.
 */
public class HttpMetricsConfig {

    /** The HTTP server's request timer, which the buckets are for (and which {@link RouteTimer} records into). */
    static final String SERVER_REQUESTS = "http.server.requests";
    private static final double[] SLO_SECONDS = { 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5 };

    @Produces
    @Singleton
    MeterFilter httpLatencyBuckets() {
        return new MeterFilter() {
            @Override
            public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
                if (!id.getName().equals(SERVER_REQUESTS)) {
                    return config;
                }
                double[] nanos = new double[SLO_SECONDS.length];
                for (int i = 0; i < SLO_SECONDS.length; i++) {
                    nanos[i] = Duration.ofNanos((long) (SLO_SECONDS[i] * 1e9)).toNanos();
                }
                return DistributionStatisticConfig.builder().serviceLevelObjectives(nanos).build().merge(config);
            }
        };
    }
}
