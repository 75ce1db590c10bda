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
}
