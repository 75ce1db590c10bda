package io.rollgate.rollouts;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.rollgate.catalog.CatalogService;
import io.rollgate.engine.Rollout;
import io.rollgate.engine.RolloutStatus;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
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
    private final Map<String, Double> enabledCustomers = new ConcurrentHashMap<>();
    private final Map<String, Double> timeInTier = new ConcurrentHashMap<>();
    private final Map<String, Double> timeToFull = new ConcurrentHashMap<>();

    public RolloutMetrics(MeterRegistry registry, CatalogService catalogs) {
        this.registry = registry;
        this.catalogs = catalogs;
        // a rollout's series exist as soon as any replica hears of it, not a check interval later
        catalogs.onInstalled(catalog -> sync());
    }

    /**
     * Registers the series of rollouts that appeared since the last call: gauges, and the counters of what can
     * happen to a rollout at zero, so a dashboard shows "0 pauses" in a healthy system rather than no data.
     */
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
            Gauge.builder("rollgate_rollout_progress", () -> value(feature, Rollout::percentage) / 100)
                    .description("Rollout progress: the share of customers the current tier enables, 0-1")
                    .tag("feature", feature).register(registry);
            Gauge.builder("rollgate_rollout_enabled_customers", () -> enabledCustomers.getOrDefault(feature, 0.0))
                    .description("Customers that reported the feature enabled in the rollout's evidence window")
                    .tag("feature", feature).register(registry);
            Gauge.builder("rollgate_rollout_time_in_tier_seconds", () -> timeInTier.getOrDefault(feature, Double.NaN))
                    .description("Time the rollout has spent in its current tier, at the last check")
                    .tag("feature", feature).register(registry);
            Gauge.builder("rollgate_rollout_time_to_full_seconds", () -> timeToFull.getOrDefault(feature, Double.NaN))
                    .description("Time from the start to the full tier, once the rollout reached it")
                    .tag("feature", feature).register(registry);
            Gauge.builder("rollgate_rollout_error_rate", () -> errorRates.getOrDefault(feature, 0.0))
                    .description("Error rate over the rollout's window at the last check").tag("feature", feature)
                    .register(registry);
            for (boolean automatic : new boolean[]{ true, false }) {
                rollbacks(feature, automatic);
                pauses(feature, automatic);
                advances(feature, automatic);
            }
        }
    }

    public void errorRate(String feature, double rate) {
        errorRates.put(feature, rate);
    }

    public void rolledBack(String feature, boolean automatic) {
        rollbacks(feature, automatic).increment();
    }

    public void paused(String feature, boolean automatic) {
        pauses(feature, automatic).increment();
    }

    public void advanced(String feature, boolean automatic) {
        advances(feature, automatic).increment();
    }

    private Counter rollbacks(String feature, boolean automatic) {
        return counter("rollgate_rollout_rollbacks", "Rollbacks by feature and trigger", feature, automatic);
    }

    private Counter pauses(String feature, boolean automatic) {
        return counter("rollgate_rollout_pauses", "Pauses by feature and trigger", feature, automatic);
    }

    private Counter advances(String feature, boolean automatic) {
        return counter("rollgate_rollout_advances", "Tier advances by feature and trigger", feature, automatic);
    }

    private Counter counter(String name, String description, String feature, boolean automatic) {
        return Counter.builder(name).description(description).tag("feature", feature)
                .tag("trigger", automatic ? "automatic" : "manual").register(registry);
    }

    /** What each automatic check concluded, so the decisions (holding outside the window, say) are visible. */
    public void checked(String feature, RolloutMachine.Verdict verdict) {
        Counter.builder("rollgate_rollout_checks")
                .description("Automatic checks by feature and verdict")
                .tag("feature", feature).tag("verdict", verdict.name().toLowerCase(Locale.ROOT))
                .register(registry).increment();
    }

    /** Time in the current tier and, once complete, time to full rollout, as the check last saw them. */
    public void observe(RolloutRecord rollout, Instant now) {
        if (rollout.tierEnteredAt() != null) {
            timeInTier.put(rollout.featureName(),
                    (double) Duration.between(rollout.tierEnteredAt(), now).toSeconds());
        }
        if (rollout.completedAt() != null && rollout.startedAt() != null) {
            timeToFull.put(rollout.featureName(),
                    (double) Duration.between(rollout.startedAt(), rollout.completedAt()).toSeconds());
        }
    }

    /** Customers with the feature enabled, as the rollout's events last reported them. */
    public void enabledCustomers(String feature, long customers) {
        enabledCustomers.put(feature, (double) customers);
    }

    private double value(String feature, java.util.function.ToIntFunction<Rollout> reader) {
        Rollout rollout = catalogs.snapshot().rollout(feature);
        return rollout == null ? Double.NaN : reader.applyAsInt(rollout);
    }
}
