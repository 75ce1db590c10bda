package io.rollgate.rollouts;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.rollgate.catalog.CatalogService;
import io.rollgate.engine.Rollout;
import io.rollgate.engine.RolloutStatus;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per-rollout gauges read from the live snapshot (tier, percentage, status) and from the last check
 * (error rate), plus rollback counters. Labelled by feature, a bounded set; never by customer.
 */
@ApplicationScoped
public class RolloutMetrics {

    private final MeterRegistry registry;
    private final CatalogService catalogs;
    private final Set<String> registered = ConcurrentHashMap.newKeySet();
    private final Map<String, Double> errorRates = new ConcurrentHashMap<>();

    public RolloutMetrics(MeterRegistry registry, CatalogService catalogs) {
        this.registry = registry;
        this.catalogs = catalogs;
    }

    /** Registers gauges for rollouts that appeared since the last call. */
    @Scheduled(every = "15s", delayed = "5s")
    public void sync() {
        for (Rollout rollout : catalogs.snapshot().rollouts()) {
            String feature = rollout.flagKey();
            if (!registered.add(feature)) {
                continue;
            }
            Gauge.builder("rollgate_rollout_tier", () -> value(feature, r -> r.tier().number()))
                    .description("Current rollout tier, 0-4").tag("feature", feature).register(registry);
            Gauge.builder("rollgate_rollout_percentage", () -> value(feature, Rollout::percentage))
                    .description("Share of customers the rollout enables").tag("feature", feature).register(registry);
            for (RolloutStatus status : RolloutStatus.values()) {
                Gauge.builder("rollgate_rollout_status", () -> value(feature, r -> r.status() == status ? 1 : 0))
                        .description("1 for the rollout's current status").tag("feature", feature)
                        .tag("status", status.wireName()).register(registry);
            }
            Gauge.builder("rollgate_rollout_error_rate", () -> errorRates.getOrDefault(feature, 0.0))
                    .description("Error rate over the rollout's window at the last check").tag("feature", feature)
                    .register(registry);
        }
    }

    public void errorRate(String feature, double rate) {
        errorRates.put(feature, rate);
    }

    public void rolledBack(String feature, boolean automatic) {
        Counter.builder("rollgate_rollout_rollbacks")
                .description("Rollbacks by feature and trigger")
                .tag("feature", feature).tag("trigger", automatic ? "automatic" : "manual")
                .register(registry).increment();
    }

    private double value(String feature, java.util.function.ToIntFunction<Rollout> reader) {
        Rollout rollout = catalogs.snapshot().rollout(feature);
        return rollout == null ? Double.NaN : reader.applyAsInt(rollout);
    }
}
