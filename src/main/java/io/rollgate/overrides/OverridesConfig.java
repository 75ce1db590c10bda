package io.rollgate.overrides;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How override documents are brought into memory. */
@ConfigMapping(prefix = "rollgate.overrides")
public interface OverridesConfig {

    /**
     * Documents per scope (customers, organizations) a starting replica loads in bulk before it reports ready, the
     * most recently changed first; the rest are read on first use, batched.
     */
    @WithDefault("100000")
    int preload();
}
