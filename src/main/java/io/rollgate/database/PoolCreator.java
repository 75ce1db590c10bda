package io.rollgate.database;

import io.quarkus.reactive.pg.client.PgPoolCreator;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.spi.PgDriver;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Makes the service's connection pool from the datasource's settings, as Quarkus would, with the waits bounded:
 * every connection starts with lock_timeout, statement_timeout and idle_in_transaction_session_timeout set (sent in
 * the startup message, so no statement runs before them), and a request waits a bounded time for a connection. The
 * change feed's LISTEN connection is opened with the same options (TLS, credentials, settings).
 * <p>
 * The service writes, so it needs one endpoint that leads to the primary (HAProxy in front of Patroni, the
 * {@code -rw} Service of CloudNativePG): a datasource URL naming several hosts would spread connections over a
 * primary and standbys, and is refused at start.
 */
@Singleton
public class PoolCreator implements PgPoolCreator {

    private final DatabaseConfig config;
    private volatile PgConnectOptions connectOptions;

    public PoolCreator(DatabaseConfig config) {
        this.config = config;
    }

    @Override
    public Pool create(Input input) {
        List<PgConnectOptions> databases = input.pgConnectOptionsList();
        if (databases.size() != 1) {
            throw new IllegalStateException("quarkus.datasource.reactive.url names " + databases.size()
                    + " hosts; Rollgate writes, so it needs the one endpoint that leads to the primary (HAProxy in "
                    + "front of Patroni, CloudNativePG's -rw Service): see docs/deployment.md");
        }
        PgConnectOptions options = databases.get(0);
        settings(config).forEach(options::addProperty);
        connectOptions = new PgConnectOptions(options);
        PoolOptions pool = input.poolOptions();
        pool.setConnectionTimeout((int) config.poolWait().toMillis()).setConnectionTimeoutUnit(TimeUnit.MILLISECONDS);
        return PgDriver.INSTANCE.createPool(input.vertx(), databases, pool);
    }

    /** The options the pool connects with, for another connection to the same database (LISTEN). */
    public PgConnectOptions connectOptions() {
        PgConnectOptions options = connectOptions;
        if (options == null) {
            throw new IllegalStateException("the connection pool has not been made yet");
        }
        return new PgConnectOptions(options);
    }

    /**
     * The options of the LISTEN connection: the pool's, at the address {@code url} names when one is given (behind a
     * pooler in transaction mode, LISTEN needs a session on PostgreSQL itself). It holds no prepared statements
     * across a pooler, so it needs no layer 7 proxy mode.
     */
    public PgConnectOptions listenOptions(Optional<String> url) {
        PgConnectOptions options = connectOptions();
        url.ifPresent(address -> {
            PgConnectOptions at = PgConnectOptions.fromUri(address);
            options.setHost(at.getHost()).setPort(at.getPort()).setDatabase(at.getDatabase());
        });
        return options.setUseLayer7Proxy(false);
    }

    /** The session settings of every connection of the service, as PostgreSQL reads them at connection start. */
    static java.util.Map<String, String> settings(DatabaseConfig config) {
        return java.util.Map.of("lock_timeout", millis(config.lockTimeout()), "statement_timeout",
                millis(config.statementTimeout()), "idle_in_transaction_session_timeout",
                millis(config.idleInTransactionTimeout()));
    }

    private static String millis(Duration duration) {
        return Long.toString(duration.toMillis());
    }
}
