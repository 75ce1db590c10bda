package io.rollgate.database;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** How replicas hear about changes: the NOTIFY channel, and the revision check behind it. */
@ConfigMapping(prefix = "rollgate.changes")
public interface ChangesConfig {

    /** How often each replica reads the current revision to catch up on a notice it missed. */
    @WithDefault("1s")
    Duration pollInterval();

    /** How long the change log keeps entries; a replica further behind reloads everything. */
    @WithDefault("1h")
    Duration logRetention();
}
