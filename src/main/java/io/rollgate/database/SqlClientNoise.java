package io.rollgate.database;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.config.MeterFilterReply;
import io.quarkus.logging.LoggingFilter;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Set;
import java.util.logging.Filter;
import java.util.logging.LogRecord;
import org.jboss.logmanager.ExtLogRecord;

/**
 * What the reactive PostgreSQL client (Vert.x 4.5) reports that is not the service's to act on, kept out of the
 * metrics and the log; every other meter and log line stays.
 * <ul>
 * <li>Gauges per connection: the client makes its metrics per connection it opens, and Quarkus's binder registers
 * the gauges {@code queue.size} and {@code current} for each under the same name and tags. Micrometer keeps the
 * first connection's (so the gauge follows that one connection, or one long closed) and warns once that the gauge
 * "has been already registered" as soon as the pool opens a second. The gauges are not exported and the warning is
 * not logged; the pool's own meters ({@code sql_pool_queue_size}, {@code sql_pool_active},
 * {@code sql_pool_usage_seconds}, ...) describe the whole pool, and the client's timers and counters add up across
 * connections.</li>
 * <li>"Result is already complete" after a failed connection: the pool's wait timer is not cancelled when getting a
 * connection fails (eclipse-vertx/vertx-sql-client#1706, open), so when the database is away every request that
 * failed to get a connection is followed, at the end of {@code rollgate.database.pool-wait}, by an
 * IllegalStateException that Vert.x logs as an uncaught ERROR. The request itself was answered; the line would
 * page anyone alerting on ERROR during every failover.</li>
 * <li>Hibernate Reactive logs at ERROR each transaction it could not begin, commit or roll back on a connection that
 * was lost ("Failed to start a transaction", "Failed to commit transaction", "Failed to rollback transaction"): the
 * failure reaches the service, which answers the request with 503 and logs the outage once, at WARN ("Database
 * unreachable"). A commit whose answer was lost may have been applied, as with any answer lost on the wire; the
 * writes clients retry most (override documents) are put whole, so retrying them after the 503 is safe.</li>
 * </ul>
 */
public class SqlClientNoise {

    /**
     * How the client and the server word a connection that went away under a transaction, as failovers have shown
     * them: a socket closed or refused, the server terminating it, or the client finding it closed when it next
     * uses it.
     */
    static final List<String> LOST_CONNECTION = List.of("connection may have been lost", "Connection is closed",
            "Connection refused", "terminating connection", "Connection is not active now, current status: CLOSED");

    /** The gauges' names after the client's prefix ({@code postgresql.} in production). */
    static final Set<String> PER_CONNECTION_GAUGES = Set.of("queue.size", "current");

    static boolean perConnectionGauge(Meter.Id id) {
        String name = id.getName();
        return id.getType() == Meter.Type.GAUGE && "sql".equals(id.getTag("clientType"))
                && PER_CONNECTION_GAUGES.stream().anyMatch(gauge -> name.equals(gauge) || name.endsWith("." + gauge));
    }

    @Produces
    @Singleton
    MeterFilter perConnectionGauges() {
        return new MeterFilter() {
            @Override
            public MeterFilterReply accept(Meter.Id id) {
                return perConnectionGauge(id) ? MeterFilterReply.DENY : MeterFilterReply.NEUTRAL;
            }
        };
    }

    /** Drops the known lines above; everything else, other duplicate meters included, is logged. */
    @LoggingFilter(name = "rollgate-sql-client-noise")
    public static final class KnownLines implements Filter {

        @Override
        public boolean isLoggable(LogRecord record) {
            return !duplicatePerConnectionGauge(record) && !poolTimerAfterFailedConnection(record)
                    && !transactionOnALostConnection(record);
        }

        private static boolean transactionOnALostConnection(LogRecord record) {
            String message = message(record);
            return "org.hibernate.reactive.pool.impl.SqlClientConnection".equals(record.getLoggerName())
                    && message != null
                    && (message.startsWith("Failed to start a transaction")
                            || message.startsWith("Failed to commit transaction")
                            || message.startsWith("Failed to rollback transaction"))
                    && LOST_CONNECTION.stream().anyMatch(message::contains);
        }

        /** The message as written, with its parameters in place. */
        private static String message(LogRecord record) {
            return record instanceof ExtLogRecord ext ? ext.getFormattedMessage() : record.getMessage();
        }

        private static boolean duplicatePerConnectionGauge(LogRecord record) {
            String message = message(record);
            return message != null && message.contains("has been already registered")
                    && message.contains("tag(clientType=sql)")
                    && PER_CONNECTION_GAUGES.stream().anyMatch(gauge -> message.contains(gauge + "',"));
        }

        private static boolean poolTimerAfterFailedConnection(LogRecord record) {
            Throwable thrown = record.getThrown();
            if (!(thrown instanceof IllegalStateException)
                    || !"Result is already complete".equals(thrown.getMessage())) {
                return false;
            }
            StackTraceElement[] stack = thrown.getStackTrace();
            for (int i = 0; i < Math.min(3, stack.length); i++) {
                if (stack[i].getClassName().startsWith("io.vertx.sqlclient.impl.pool.SqlConnectionPool")) {
                    return true;
                }
            }
            return false;
        }
    }
}
