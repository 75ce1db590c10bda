package io.rollgate.startup;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** How a replica becomes ready. */
@ConfigMapping(prefix = "rollgate.startup")
public interface StartupConfig {

    /**
     * How long a starting replica sends itself widget config requests before it reports ready, so the JIT has
     * compiled the hot path when the Service routes traffic to it; 0 to skip.
     */
    @WithDefault("5s")
    Duration warmUp();
}
