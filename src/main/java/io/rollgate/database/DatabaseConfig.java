package io.rollgate.database;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Database resilience: how long to wait, when to count it down, how often to probe. */
@ConfigMapping(prefix = "rollgate.database")
public interface DatabaseConfig {

    /** How long a hot-path read may wait for PostgreSQL before last known good data is served. */
    @WithDefault("500ms")
    Duration readTimeout();

    /** How long an admin write may take before it is answered 503. */
    @WithDefault("5s")
    Duration writeTimeout();

    /**
     * How many database timeouts in a row mark the database down; a single slow answer only falls back
     * for its own request. A failed connection marks it down at once.
     */
    @WithDefault("3")
    int timeoutsBeforeDown();

    /** Retry-After sent with 503 answers. */
    @WithDefault("5s")
    Duration retryAfter();

    /** How often PostgreSQL is probed, so the hot path knows when to try it again after an outage. */
    @WithDefault("2s")
    Duration probeInterval();

    /** How often a service that is not ready yet retries migrations and the first catalog load. */
    @WithDefault("2s")
    Duration bootstrapRetry();

    /** Create the database named in the JDBC URL when it does not exist (development convenience). */
    @WithDefault("false")
    boolean createIfMissing();
}
