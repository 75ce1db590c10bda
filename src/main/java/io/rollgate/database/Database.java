package io.rollgate.database;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.rollgate.errors.ConflictException;
import io.rollgate.errors.DatabaseUnavailableException;
import io.rollgate.errors.InvalidInputException;
import io.rollgate.errors.NotFoundException;
import io.smallrye.mutiny.TimeoutException;
import io.smallrye.mutiny.Uni;
import io.vertx.pgclient.PgException;
import jakarta.inject.Singleton;
import jakarta.persistence.OptimisticLockException;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.hibernate.StaleStateException;
import org.jboss.logging.Logger;

/**
 * Tells whether PostgreSQL is reachable and turns database failures into the error vocabulary:
 * connectivity problems become 503 (and mark the database down), concurrency problems 409.
 */
@Singleton
public class Database {

    private static final Logger LOG = Logger.getLogger(Database.class);

    private volatile boolean up = true;
    private volatile String lastError;
    private final AtomicInteger timeoutsInARow = new AtomicInteger();

    private final DatabaseConfig config;

    public Database(MeterRegistry registry, DatabaseConfig config) {
        this.config = config;
        Gauge.builder("rollgate_database_up", this, database -> database.up ? 1 : 0)
                .description("1 while PostgreSQL answers, 0 while the service serves last known good data")
                .register(registry);
    }

    public boolean isUp() {
        return up;
    }

    public String lastError() {
        return lastError;
    }

    public void markUp() {
        if (!up) {
            LOG.info("Database reachable again");
        }
        timeoutsInARow.set(0);
        up = true;
        lastError = null;
    }

    /** A query answered: slow answers before it no longer count toward marking the database down. */
    public void answered() {
        timeoutsInARow.set(0);
    }

    /**
     * A query failed. A failed connection marks the database down at once; a slow answer only degrades
     * its own request, and the database counts as down after several timeouts in a row, so one slow read
     * under load does not send every customer to defaults and refuse every write.
     */
    public void failed(Throwable cause) {
        if (isTimeout(cause)) {
            if (timeoutsInARow.incrementAndGet() >= config.timeoutsBeforeDown()) {
                markDown(cause);
            }
        } else if (isConnectivity(cause)) {
            markDown(cause);
        }
    }

    public void markDown(Throwable cause) {
        lastError = cause.getClass().getSimpleName();
        if (up && !poolClosed(cause)) {
            LOG.warnf("Database unreachable (%s): serving last known good data", describe(cause));
        }
        up = false;
    }

    /** The pool closes only as this process stops (a failed start too): no outage to report, whatever else is. */
    private static boolean poolClosed(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if ("Pool closed".equals(t.getMessage())) {
                return true;
            }
        }
        return false;
    }

    /** Throws at once when the database is known to be down, so a write never half-starts. */
    public void requireUp() {
        if (!up) {
            throw new DatabaseUnavailableException("The database is unavailable; nothing was changed", null);
        }
    }

    /**
     * Bounds a database call by the write timeout and maps its failures to the API's answers (503 when
     * PostgreSQL is unreachable or too slow, 409 on concurrent changes). Use with {@code Uni.plug}.
     */
    public <T> Uni<T> bounded(Uni<T> call) {
        return call.ifNoItem().after(config.writeTimeout())
                .failWith(() -> {
                    failed(new java.util.concurrent.TimeoutException("write timeout"));
                    // the statement may still be running, and may yet commit: only the database can say
                    return new DatabaseUnavailableException("The database did not answer in time; a change may still "
                            + "be applied: read it back before retrying", null);
                })
                .onFailure().transform(this::translate);
    }

    /**
     * Tells a connection lost while a transaction's COMMIT was on its way from one lost before it: the transaction's
     * body marks itself done, and a connection failure after that mark may have committed.
     */
    public static final class CommitWatch {
        private final AtomicBoolean bodyDone = new AtomicBoolean();

        /** The transaction's body, marked done when it completes (the COMMIT comes next). */
        public <T> Uni<T> body(Uni<T> body) {
            return body.invoke(() -> bodyDone.set(true));
        }

        /** Whether {@code failure} lost the connection after the body was done. */
        public boolean lostAtCommit(Throwable failure) {
            return bodyDone.get() && isConnectivity(failure);
        }
    }

    /**
     * The connection failed after the change was complete and its COMMIT on the way: PostgreSQL may have committed it
     * (a failover, a network fault at that moment). Only reading it back tells, so the answer says so rather than
     * "nothing was changed".
     */
    public Throwable outcomeUnknown(Throwable failure) {
        failed(failure);
        return new DatabaseUnavailableException("The connection to the database was lost while the change was being "
                + "committed: it may or may not be stored; read it back before retrying", failure);
    }

    /** Maps a failure of a database call to the exception the API answers with. */
    public Throwable translate(Throwable failure) {
        if (failure instanceof InvalidInputException || failure instanceof NotFoundException
                || failure instanceof ConflictException || failure instanceof DatabaseUnavailableException) {
            return failure;
        }
        if (failure instanceof OptimisticLockException || failure instanceof StaleStateException) {
            return new ConflictException("The change collided with a concurrent change; nothing was stored, "
                    + "read it again and retry");
        }
        // Hibernate Reactive wraps the driver's error in its own: a native statement's as an SQLException
        String state = sqlState(failure);
        if (state != null) {
            return switch (state) {
                case "23505", "40001", "40P01" -> new ConflictException(
                        "The change collided with a concurrent change; nothing was stored, retry it");
                // lock_timeout: another session (a forgotten psql transaction, a long runbook) holds what the change
                // needs; the database itself is fine, so only this change is refused
                case "55P03" -> new DatabaseUnavailableException("Another database session holds a lock this change "
                        + "needs (rollgate.database.lock-timeout); nothing was changed, retry later", failure);
                // statement_timeout: as slow as a write that ran out of time here
                case "57014" -> {
                    failed(new java.util.concurrent.TimeoutException("statement timeout"));
                    yield new DatabaseUnavailableException("The database did not answer in time; nothing was changed",
                            failure);
                }
                default -> {
                    if (refusesWrites(state)) {
                        markDown(failure);
                        yield new DatabaseUnavailableException("The database takes no writes right now (" + state
                                + ": a standby, read-only, or shutting down during a failover); nothing was changed",
                                failure);
                    }
                    yield failure;
                }
            };
        }
        if (isConnectivity(failure)) {
            failed(failure);
            return new DatabaseUnavailableException("The database is unavailable; nothing was changed", failure);
        }
        return failure;
    }

    /**
     * SQLSTATEs that say this connection's server takes no writes now, whatever the statement: a read-only
     * transaction (25006: the old primary back as a standby behind the endpoint, or default_transaction_read_only),
     * a server shutting down or starting (57P01-57P03), and connection exceptions (class 08).
     */
    static boolean refusesWrites(String sqlState) {
        return sqlState.equals("25006") || sqlState.equals("57P01") || sqlState.equals("57P02")
                || sqlState.equals("57P03") || sqlState.startsWith("08");
    }

    private static String sqlState(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof PgException pg && pg.getSqlState() != null) {
                return pg.getSqlState();
            }
            if (t instanceof java.sql.SQLException sql && sql.getSQLState() != null) {
                return sql.getSQLState();
            }
        }
        return null;
    }

    /** True for a query that did not answer in time (as opposed to a connection that failed). */
    public static boolean isTimeout(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof TimeoutException || t instanceof java.util.concurrent.TimeoutException) {
                return true;
            }
        }
        return false;
    }

    /** True for failures that mean "could not talk to PostgreSQL", as opposed to an SQL error. */
    public static boolean isConnectivity(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof PgException) {
                return false;
            }
            // the server answered with an SQL error (Hibernate Reactive's form of a native statement's)
            if (t instanceof java.sql.SQLException sql && sql.getSQLState() != null
                    && !sql.getSQLState().startsWith("08")) {
                return false;
            }
            if (t instanceof IOException || t instanceof TimeoutException
                    || t instanceof java.util.concurrent.TimeoutException
                    || t instanceof io.vertx.core.VertxException
                    || t instanceof io.netty.channel.ChannelException) {
                return true;
            }
            // the pool reports closed or refused connections with exceptions of its own
            if (t.getClass().getName().startsWith("io.vertx.")) {
                return true;
            }
        }
        return false;
    }

    private static String describe(Throwable cause) {
        String message = cause.getMessage();
        return cause.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }
}
