package io.rollgate.canary;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Canary automation. */
@ConfigMapping(prefix = "rollgate.canary")
public interface CanaryConfig {

    /** How often deployments in flight are checked (once per interval across replicas). */
    @WithDefault("10s")
    Duration checkInterval();

    /**
     * How long the last stage (all traffic on the new version) is watched at least before the deployment
     * completes, whatever its own duration says: its error threshold must have time to act.
     */
    @WithDefault("5m")
    Duration finalStageMinDuration();

    /** How many canary requests the last stage needs at least before the deployment completes. */
    @WithDefault("100")
    long finalStageMinRequests();

    /**
     * How long a traffic report's batch id is kept, so a proxy's retry of it is recognized and not counted twice:
     * far longer than any retry waits, and short enough that the ids do not pile up forever.
     */
    @WithDefault("7d")
    Duration batchRetention();

    /** How often batch ids past their retention are deleted (once per interval across replicas). */
    @WithDefault("1h")
    Duration retentionInterval();
}
