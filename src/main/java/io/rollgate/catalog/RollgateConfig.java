package io.rollgate.catalog;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How this deployment evaluates flags. */
@ConfigMapping(prefix = "rollgate")
public interface RollgateConfig {

    /** Environment whose defaults apply (production, staging, development, or any name a flag defines). */
    @WithDefault("production")
    String environment();
}
