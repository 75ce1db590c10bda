package io.rollgate.rollouts;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Instant;
import java.util.List;

/** getRolloutConfig: a rollout's configuration and where it stands. */
@RegisterForReflection
public record RolloutView(String featureName, String alias, String currentTier, int tier, int percentage,
        String status, List<String> whitelistedCustomers, List<String> blacklistedCustomers,
        RollbackThreshold rollbackThreshold, Instant startedAt, Instant tierEnteredAt, Instant completedAt,
        Instant rolledBackAt, String rollbackReason, int consecutiveBreaches, long version) {

    static RolloutView of(RolloutRecord r, String alias) {
        return new RolloutView(r.featureName(), alias, r.tier().wireName(), r.tier().number(), r.percentage(),
                r.status().wireName(), r.whitelist(), r.blacklist(), r.threshold(), r.startedAt(), r.tierEnteredAt(),
                r.completedAt(), r.rolledBackAt(), r.rollbackReason(), r.breachCount(), r.version());
    }
}
