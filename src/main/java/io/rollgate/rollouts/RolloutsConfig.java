package io.rollgate.rollouts;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;

/** Rollout criteria and the automatic rollback job. */
@ConfigMapping(prefix = "rollgate.rollouts")
public interface RolloutsConfig {

    /** Minimum time a rollout stays in a tier before it may advance (48 hours by default). */
    @WithDefault("48h")
    Duration minTimeInTier();

    /** Success rate a tier must exceed before advancing (95 % by default). */
    @WithDefault("0.95")
    double minSuccessRate();

    /** How often the automatic check judges every active rollout (once per interval across replicas). */
    @WithDefault("10s")
    Duration checkInterval();

    /** The rollout policy new rollouts get unless they set their own values. */
    Policy policy();

    /** Service-wide defaults of the rollout policy: the decision matrix and the typical timeline. */
    interface Policy {

        /** Automatic advancement only below this error rate. */
        @WithDefault("0.02")
        double advanceErrorRate();

        /** At or above this error rate a rollout pauses for an operator. */
        @WithDefault("0.05")
        double pauseErrorRate();

        /** Above this error rate a rollout rolls back at the first check with enough samples. */
        @WithDefault("0.10")
        double rollbackErrorRate();

        /** Above this success rate the minimum time in tier is shortened. */
        @WithDefault("0.98")
        double fastTrackSuccessRate();

        /** What the minimum time in tier is multiplied by for a fast-tracked tier. */
        @WithDefault("0.5")
        double fastTrackFactor();

        /** Minimum success/error events before anything is concluded, for tiers 1 to 4. */
        @WithDefault("20,100,250,500")
        List<Integer> minSamples();

        /** Whether new rollouts advance by themselves when every criterion holds. */
        @WithDefault("false")
        boolean autoAdvance();
    }
}
