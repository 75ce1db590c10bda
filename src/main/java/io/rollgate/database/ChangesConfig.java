package io.rollgate.database;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** How replicas hear about changes: the NOTIFY channel, and the revision check behind it. */
@ConfigMapping(prefix = "rollgate.changes")
public interface ChangesConfig {

    /** How often each replica reads the current revision to catch up on a notice it missed. */
    @WithDefault("1s")
    Duration pollInterval();

    /** How long the change log keeps entries; a replica further behind reloads everything. */
    @WithDefault("1h")
    Duration logRetention();

    /**
     * Where the LISTEN connection goes when it cannot go where the pool does: behind a pooler in transaction mode
     * (PgBouncer), LISTEN needs a session of its own on PostgreSQL (or a pooler in session mode). A URL such as
     * {@code postgresql://db:5432/rollgate}; the pool's credentials and settings apply. By default, the pool's.
     */
    Optional<String> listenUrl();
}
