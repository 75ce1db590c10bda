package io.rollgate.rollouts;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Instant;
import java.util.List;

/**
 * getRolloutStats, over the rollout's time window, with the advancement criteria; {@code timeInTierMetAt}
 * is when the rollout has been in its tier long enough to advance (null before it has a tier).
 */
@RegisterForReflection
public record RolloutStatsView(String featureName, String currentTier, int tier, int percentage, String status,
        Instant startedAt, Instant tierEnteredAt, long enabledCustomers, long errorCount, long successCount,
        long samples, double errorRate, double successRate, long timeWindow, List<Criterion> criteria,
        Instant timeInTierMetAt) {
}
