package io.rollgate.engine;

import java.util.Set;

/**
 * The part of a rollout the evaluation needs: tier, percentage, status and the lists. Immutable, held
 * in the catalog snapshot beside its flag.
 */
public record Rollout(String flagKey, Tier tier, int percentage, RolloutStatus status, Set<String> whitelist,
        Set<String> blacklist) {

    public Rollout {
        whitelist = Set.copyOf(whitelist);
        blacklist = Set.copyOf(blacklist);
    }

    /** Why a customer is in or out; {@code bucket} is 0 when it played no part. */
    public record Decision(boolean enabled, String reason, int bucket) {
    }

    /**
     * Whether tier and percentage agree, as every write through the service leaves them. A row edited by
     * hand that disagrees could mean either, so it enables nobody until it is fixed.
     */
    public boolean consistent() {
        return percentage == tier.percentage();
    }

    /**
     * What the rollout decides for a customer, its status included: a rolled-back rollout enables nobody,
     * a draft has not started, otherwise {@link #decide}.
     */
    public Decision decision(String customerId) {
        if (status == RolloutStatus.ROLLED_BACK) {
            return new Decision(false, "rolled_back", 0);
        }
        if (status == RolloutStatus.DRAFT) {
            return new Decision(false, "not_started", 0);
        }
        return decide(customerId);
    }

    /** Step 6 of the evaluation for one customer (the rollout's status is checked by the caller). */
    public Decision decide(String customerId) {
        if (!consistent()) {
            return new Decision(false, "inconsistent_tier_and_percentage", 0);
        }
        // the lists are kept disjoint; a row edited by hand that names a customer in both keeps them out
        if (customerId != null && blacklist.contains(customerId)) {
            return new Decision(false, "blacklisted", 0);
        }
        if (customerId != null && whitelist.contains(customerId)) {
            return new Decision(true, "whitelisted", 0);
        }
        if (tier.number() < Tier.EARLY_ADOPTERS.number()) {
            return new Decision(false, tier == Tier.INTERNAL ? "internal_tier_whitelist_only" : "tier_0", 0);
        }
        if (percentage >= 100) {
            return new Decision(true, "full_rollout", 0);
        }
        if (customerId == null) {
            return new Decision(false, "no_customer_id", 0);
        }
        int bucket = Bucketing.bucket(flagKey, customerId);
        return bucket <= percentage
                ? new Decision(true, "in_percentage", bucket)
                : new Decision(false, "outside_percentage", bucket);
    }
}
