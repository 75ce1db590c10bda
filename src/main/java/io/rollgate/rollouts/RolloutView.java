package io.rollgate.rollouts;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * getRolloutConfig: a rollout's configuration and where it stands, with the policy it is judged by (for one
 * created with only a rollback threshold, that threshold's equivalent) and its record: pauses, rollbacks, the
 * tiers it has left and how long the whole rollout took to reach everyone.
 */
@RegisterForReflection
public record RolloutView(String featureName, String alias, String currentTier, int tier, int percentage,
        String status, List<String> whitelistedCustomers, List<String> blacklistedCustomers,
        RollbackThreshold rollbackThreshold, Instant startedAt, Instant tierEnteredAt, Instant completedAt,
        Instant rolledBackAt, String rollbackReason, int consecutiveBreaches, long version, RolloutPolicy policy,
        String pauseReason, int pauses, int rollbacks, List<Map<String, Object>> tierHistory,
        Long timeToFullSeconds) {

    static RolloutView of(RolloutRecord r, String alias, RolloutPolicy policy) {
        Long toFull = r.completedAt() == null || r.startedAt() == null
                ? null
                : Duration.between(r.startedAt(), r.completedAt()).toSeconds();
        return new RolloutView(r.featureName(), alias, r.tier().wireName(), r.tier().number(), r.percentage(),
                r.status().wireName(), r.whitelist(), r.blacklist(), r.threshold(), r.startedAt(), r.tierEnteredAt(),
                r.completedAt(), r.rolledBackAt(), r.rollbackReason(), r.breachCount(), r.version(), policy,
                r.pauseReason(), r.pauseCount(), r.rollbackCount(), r.tierHistory(), toFull);
    }
}
