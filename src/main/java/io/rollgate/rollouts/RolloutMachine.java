package io.rollgate.rollouts;

import io.rollgate.engine.RolloutStatus;
import io.rollgate.engine.Tier;
import io.rollgate.events.WindowStats;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The rollout state machine: start at tier 1, advance one tier at a time on the
 * advancement criteria (or forced), pause, resume, roll back, restart. Plain Java with an injected clock.
 */
public final class RolloutMachine {

    private final Clock clock;
    private final Duration minTimeInTier;
    private final RolloutPolicy defaults;

    /** @param defaults the service's policy, which also fills in what a rollback threshold does not say */
    public RolloutMachine(Clock clock, Duration minTimeInTier, RolloutPolicy defaults) {
        this.clock = clock;
        this.minTimeInTier = minTimeInTier;
        this.defaults = defaults;
    }

    /**
     * The policy the rollout is judged by: its own, or for one stored with only a rollback threshold (created
     * before every rollout had a policy, or whose stored policy does not read) the equivalent of that threshold.
     */
    public RolloutPolicy policyOf(RolloutRecord rollout) {
        return rollout.policy() != null ? rollout.policy() : RolloutPolicy.fromThreshold(rollout.threshold(), defaults);
    }

    public RolloutRecord start(RolloutRecord rollout) {
        if (rollout.status() != RolloutStatus.DRAFT) {
            throw new RolloutRefusedException("The rollout of " + rollout.featureName() + " is "
                    + rollout.status().wireName() + "; only a draft can start (restart a rolled-back one)");
        }
        return rollout.started(clock.instant());
    }

    /**
     * Criteria of the current tier, met or not, as the rollout guide lists them. Under a policy the
     * samples scale with the tier, the error rate must stay under the pause band, and strong success
     * shortens the time in the tier.
     */
    public List<Criterion> criteria(RolloutRecord rollout, WindowStats stats) {
        RolloutPolicy policy = policyOf(rollout);
        int minSamples = policy.minSamples(rollout.tier());
        double maxErrorRate = policy.pauseErrorRate();
        double successFloor = policy.minSuccessRate();
        boolean fastTracked = policy.fastTracked(stats, rollout.tier());
        Duration minTime = minTimeInTier(rollout, stats);
        Duration inTier = rollout.tierEnteredAt() == null
                ? Duration.ZERO
                : Duration.between(rollout.tierEnteredAt(), clock.instant());
        List<Criterion> criteria = new ArrayList<>();
        criteria.add(new Criterion("minSamples", ">= " + minSamples + " success/error events",
                Long.toString(stats.samples()), stats.samples() >= minSamples));
        criteria.add(new Criterion("errorRate", "< " + RolloutPolicy.percent(maxErrorRate),
                RolloutPolicy.percent(stats.errorRate()),
                stats.samples() > 0 && stats.errorRate() < maxErrorRate));
        criteria.add(new Criterion("successRate", "> " + RolloutPolicy.percent(successFloor),
                RolloutPolicy.percent(stats.successRate()),
                stats.successRate() > successFloor));
        criteria.add(new Criterion("timeInTier", ">= " + minTime + (fastTracked ? " (fast-tracked)" : ""),
                inTier.truncatedTo(ChronoUnit.SECONDS).toString(), inTier.compareTo(minTime) >= 0));
        return criteria;
    }

    /** How long the rollout must stay in its tier before it may advance, fast track included. */
    public Duration minTimeInTier(RolloutRecord rollout, WindowStats stats) {
        return policyOf(rollout).minTimeInTier(minTimeInTier, stats, rollout.tier());
    }

    /**
     * When the time-in-tier criterion is met (in the past once it is), or null for a rollout not in a tier
     * yet.
     */
    public Instant timeInTierMetAt(RolloutRecord rollout, WindowStats stats) {
        return rollout.tierEnteredAt() == null ? null : rollout.tierEnteredAt().plus(minTimeInTier(rollout, stats));
    }

    /** One tier up. Refused while paused, finished or rolled back, and, unless forced, on unmet criteria. */
    public RolloutRecord advance(RolloutRecord rollout, WindowStats stats, boolean force) {
        switch (rollout.status()) {
            case DRAFT -> throw new RolloutRefusedException("The rollout of " + rollout.featureName()
                    + " has not started; start it first");
            case PAUSED -> throw new RolloutRefusedException("The rollout of " + rollout.featureName()
                    + " is paused; resume it first");
            case COMPLETED -> throw new RolloutRefusedException("The rollout of " + rollout.featureName()
                    + " is already at the full tier");
            case ROLLED_BACK -> throw new RolloutRefusedException("The rollout of " + rollout.featureName()
                    + " was rolled back; restart it from tier 1 first");
            default -> {
            }
        }
        if (!force) {
            List<Criterion> unmet = criteria(rollout, stats).stream().filter(c -> !c.met()).toList();
            if (!unmet.isEmpty()) {
                throw new RolloutRefusedException("The rollout of " + rollout.featureName() + " cannot leave "
                        + rollout.tier().wireName() + " yet: " + unmet.size() + " criteria unmet", unmet);
            }
        }
        Instant now = clock.instant();
        Tier next = rollout.tier().next();
        RolloutRecord advanced = rollout.moveTo(next, RolloutStatus.ACTIVE, now);
        return next.isLast() ? advanced.completed(now) : advanced;
    }

    public RolloutRecord pause(RolloutRecord rollout) {
        if (rollout.status() != RolloutStatus.ACTIVE) {
            throw new RolloutRefusedException("Only an active rollout can be paused; " + rollout.featureName()
                    + " is " + rollout.status().wireName());
        }
        return rollout.paused(null);
    }

    public RolloutRecord resume(RolloutRecord rollout) {
        if (rollout.status() != RolloutStatus.PAUSED) {
            throw new RolloutRefusedException("Only a paused rollout can be resumed; " + rollout.featureName()
                    + " is " + rollout.status().wireName());
        }
        return rollout.resumed();
    }

    /** Tier 0, percentage 0, status rolled_back: off for every customer at once. */
    public RolloutRecord rollback(RolloutRecord rollout, String reason) {
        if (rollout.status() == RolloutStatus.DRAFT || rollout.status() == RolloutStatus.ROLLED_BACK) {
            throw new RolloutRefusedException("The rollout of " + rollout.featureName() + " is "
                    + rollout.status().wireName() + "; there is nothing to roll back");
        }
        return rollout.rolledBack(reason, clock.instant());
    }

    /** After a rollback: back to tier 1 (whitelist only) as the troubleshooting runbook advises. */
    public RolloutRecord restart(RolloutRecord rollout) {
        if (rollout.status() != RolloutStatus.ROLLED_BACK) {
            throw new RolloutRefusedException("Only a rolled-back rollout can restart; " + rollout.featureName()
                    + " is " + rollout.status().wireName());
        }
        return rollout.started(clock.instant());
    }

    /** What one automatic check concludes. */
    public enum Verdict {
        SKIPPED, INCONCLUSIVE, HEALTHY, BREACH, ROLLBACK, PAUSE, ADVANCE, OUTSIDE_WINDOW
    }

    /** The checked rollout (breach streak updated) and the verdict. */
    public record Check(RolloutRecord rollout, Verdict verdict, String reason) {

        Check(RolloutRecord rollout, Verdict verdict) {
            this(rollout, verdict, verdict.name().toLowerCase(Locale.ROOT));
        }
    }

    /**
     * One automatic check of an active or completed rollout, by the decision matrix of its policy: hold, pause,
     * roll back or advance by itself. Above the rollback rate a streak grows until it reaches the policy's number of
     * checks in a row; any other verdict ends the streak.
     */
    public Check check(RolloutRecord rollout, WindowStats stats) {
        // a paused rollout is in an operator's hands; a completed one is still watched at 100 %
        if (rollout.status() != RolloutStatus.ACTIVE && rollout.status() != RolloutStatus.COMPLETED) {
            return new Check(rollout, Verdict.SKIPPED);
        }
        RolloutPolicy policy = policyOf(rollout);
        boolean criteriaMet = criteria(rollout, stats).stream().allMatch(Criterion::met);
        Instant now = clock.instant();
        RolloutPolicy.Decision decision = policy.decide(rollout.tier(), rollout.status() == RolloutStatus.ACTIVE,
                stats, criteriaMet, now);
        RolloutRecord calm = rollout.withBreaches(0);
        return switch (decision.action()) {
            case INCONCLUSIVE -> new Check(calm, Verdict.INCONCLUSIVE, decision.reason());
            case HOLD -> new Check(calm, Verdict.HEALTHY, decision.reason());
            case OUTSIDE_WINDOW -> new Check(calm, Verdict.OUTSIDE_WINDOW, decision.reason());
            case PAUSE -> new Check(calm.paused(decision.reason()), Verdict.PAUSE, decision.reason());
            case ROLLBACK -> {
                int breaches = rollout.breachCount() + 1;
                if (breaches < policy.rollbackChecks()) {
                    yield new Check(rollout.withBreaches(breaches), Verdict.BREACH, String.format(Locale.ROOT,
                            "error rate %s above %s on %d of %d checks in a row",
                            RolloutPolicy.percent(stats.errorRate()),
                            RolloutPolicy.percent(policy.rollbackErrorRate()), breaches, policy.rollbackChecks()));
                }
                String reason = decision.reason()
                        + (policy.rollbackChecks() == 1 ? "" : " on " + breaches + " consecutive checks")
                        + " (events of the last " + Duration.ofMillis(rollout.threshold().timeWindow()) + ")";
                yield new Check(rollout.withBreaches(breaches).rolledBack(reason, now), Verdict.ROLLBACK, reason);
            }
            case ADVANCE -> new Check(advance(rollout, stats, false), Verdict.ADVANCE, decision.reason());
        };
    }
}
