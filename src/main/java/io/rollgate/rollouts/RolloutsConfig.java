package io.rollgate.rollouts;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Rollout criteria and the automatic rollback job. */
@ConfigMapping(prefix = "rollgate.rollouts")
public interface RolloutsConfig {

    /** Minimum time a rollout stays in a tier before it may advance (48 hours by default). */
    @WithDefault("48h")
    Duration minTimeInTier();

    /** Success rate a tier must exceed before advancing (95 % by default). */
    @WithDefault("0.95")
    double minSuccessRate();

    /** How often the automatic rollback job checks every active rollout. */
    @WithDefault("10s")
    Duration checkInterval();
}
