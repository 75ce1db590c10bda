package io.rollgate.rollouts;

import io.rollgate.engine.Rollout;
import io.rollgate.engine.RolloutStatus;
import io.rollgate.engine.Tier;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A rollout as stored in feature_rollouts. {@code version} guards concurrent changes. */
public record RolloutRecord(
        String featureName,
        Tier tier,
        int percentage,
        RolloutStatus status,
        List<String> whitelist,
        List<String> blacklist,
        RollbackThreshold threshold,
        Instant startedAt,
        Instant tierEnteredAt,
        Instant completedAt,
        int breachCount,
        String rollbackReason,
        Instant rolledBackAt,
        long version,
        RolloutPolicy policy,
        String pauseReason,
        int pauseCount,
        int rollbackCount,
        List<Map<String, Object>> tierHistory) {

    public RolloutRecord {
        whitelist = List.copyOf(whitelist);
        blacklist = List.copyOf(blacklist);
        tierHistory = tierHistory == null ? List.of() : List.copyOf(tierHistory);
    }

    /** A new rollout; {@code policy} null keeps the rollback threshold as its only automatic response. */
    public static RolloutRecord draft(String featureName, List<String> whitelist, List<String> blacklist,
            RollbackThreshold threshold, RolloutPolicy policy) {
        return new RolloutRecord(featureName, Tier.DISABLED, 0, RolloutStatus.DRAFT, whitelist, blacklist, threshold,
                null, null, null, 0, null, null, 0, policy, null, 0, 0, List.of());
    }

    RolloutRecord withPolicy(RolloutPolicy newPolicy) {
        return new RolloutRecord(featureName, tier, percentage, status, whitelist, blacklist, threshold, startedAt,
                tierEnteredAt, completedAt, breachCount, rollbackReason, rolledBackAt, version, newPolicy, pauseReason,
                pauseCount, rollbackCount, tierHistory);
    }

    /** Paused by an operator (no reason kept) or by the policy (with its reason). */
    RolloutRecord paused(String reason) {
        return new RolloutRecord(featureName, tier, percentage, RolloutStatus.PAUSED, whitelist, blacklist, threshold,
                startedAt, tierEnteredAt, completedAt, breachCount, rollbackReason, rolledBackAt, version, policy,
                reason, pauseCount, rollbackCount, tierHistory);
    }

    RolloutRecord resumed() {
        return new RolloutRecord(featureName, tier, percentage, RolloutStatus.ACTIVE, whitelist, blacklist, threshold,
                startedAt, tierEnteredAt, completedAt, breachCount, rollbackReason, rolledBackAt, version, policy,
                null, pauseCount, rollbackCount, tierHistory);
    }

    RolloutRecord moveTo(Tier newTier, RolloutStatus newStatus, Instant tierEntered) {
        return new RolloutRecord(featureName, newTier, newTier.percentage(), newStatus, whitelist, blacklist, threshold,
                startedAt, tierEntered, completedAt, 0, rollbackReason, rolledBackAt, version, policy, pauseReason,
                pauseCount, rollbackCount, tierHistory);
    }

    RolloutRecord withStatus(RolloutStatus newStatus) {
        return new RolloutRecord(featureName, tier, percentage, newStatus, whitelist, blacklist, threshold, startedAt,
                tierEnteredAt, completedAt, breachCount, rollbackReason, rolledBackAt, version, policy, pauseReason,
                pauseCount, rollbackCount, tierHistory);
    }

    RolloutRecord started(Instant at) {
        return new RolloutRecord(featureName, Tier.INTERNAL, Tier.INTERNAL.percentage(), RolloutStatus.ACTIVE,
                whitelist, blacklist, threshold, at, at, null, 0, null, null, version, policy, pauseReason, pauseCount,
                rollbackCount, tierHistory);
    }

    RolloutRecord completed(Instant at) {
        return new RolloutRecord(featureName, tier, percentage, RolloutStatus.COMPLETED, whitelist, blacklist,
                threshold, startedAt, tierEnteredAt, at, 0, rollbackReason, rolledBackAt, version, policy, pauseReason,
                pauseCount, rollbackCount, tierHistory);
    }

    RolloutRecord rolledBack(String reason, Instant at) {
        return new RolloutRecord(featureName, Tier.DISABLED, 0, RolloutStatus.ROLLED_BACK, whitelist, blacklist,
                threshold, startedAt, at, completedAt, 0, reason, at, version, policy, pauseReason, pauseCount,
                rollbackCount, tierHistory);
    }

    /**
     * Where the evidence that judges this rollout starts: its threshold's window back from {@code now}, but
     * never before it entered its tier (or was restarted), so a restart is judged on new events only and
     * each tier on its own.
     */
    public Instant evidenceSince(Instant now) {
        Instant windowStart = now.minusMillis(threshold.timeWindow());
        return tierEnteredAt != null && tierEnteredAt.isAfter(windowStart) ? tierEnteredAt : windowStart;
    }

    /** What the evaluation needs of this rollout. */
    public Rollout toEngine() {
        return new Rollout(featureName, tier, percentage, status, Set.copyOf(whitelist), Set.copyOf(blacklist));
    }

    /** The record as stored after one more update. */
    RolloutRecord stored() {
        return new RolloutRecord(featureName, tier, percentage, status, whitelist, blacklist, threshold, startedAt,
                tierEnteredAt, completedAt, breachCount, rollbackReason, rolledBackAt, version + 1, policy, pauseReason,
                pauseCount, rollbackCount, tierHistory);
    }

    RolloutRecord withBreaches(int breaches) {
        return new RolloutRecord(featureName, tier, percentage, status, whitelist, blacklist, threshold, startedAt,
                tierEnteredAt, completedAt, breaches, rollbackReason, rolledBackAt, version, policy, pauseReason,
                pauseCount, rollbackCount, tierHistory);
    }

    RolloutRecord withLists(List<String> newWhitelist, List<String> newBlacklist) {
        return new RolloutRecord(featureName, tier, percentage, status, newWhitelist, newBlacklist, threshold,
                startedAt, tierEnteredAt, completedAt, breachCount, rollbackReason, rolledBackAt, version, policy,
                pauseReason, pauseCount, rollbackCount, tierHistory);
    }
}
