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

    /**
     * PostgreSQL's lock_timeout on the service's connections: how long a statement waits for a lock another session
     * holds (a forgotten psql transaction holding the revision row) before it is refused with 503. Shorter than the
     * write timeout, so the statement gives up in the database and frees its pooled connection. 0 waits forever.
     */
    @WithDefault("2s")
    Duration lockTimeout();

    /**
     * PostgreSQL's statement_timeout on the service's connections: no statement of the service runs longer, so a slow
     * disk cannot hold the pool's connections after their requests were answered 503. 0 for none.
     */
    @WithDefault("30s")
    Duration statementTimeout();

    /**
     * PostgreSQL's idle_in_transaction_session_timeout on the service's connections: a transaction of the service left
     * open this long is ended by the server, releasing its locks. 0 for none.
     */
    @WithDefault("1m")
    Duration idleInTransactionTimeout();

    /**
     * How long a request waits for a pooled connection when all are busy before it fails (and is answered 503), so a
     * pool exhausted by slow statements turns into clear refusals rather than a queue without end.
     */
    @WithDefault("5s")
    Duration poolWait();

    /** Create the database named in the JDBC URL when it does not exist (development convenience). */
    @WithDefault("false")
    boolean createIfMissing();
}
