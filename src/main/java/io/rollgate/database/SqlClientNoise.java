package io.rollgate.database;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.config.MeterFilterReply;
import io.quarkus.logging.LoggingFilter;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.Set;
import java.util.logging.Filter;
import java.util.logging.LogRecord;

/**
 * The reactive PostgreSQL client's meters without the gauges that describe one connection as if it were the pool.
 * The client (Vert.x 4.5) makes its metrics per connection it opens, and Quarkus's binder registers the gauges
 * {@code queue.size} and {@code current} for each under the same name and tags: Micrometer keeps the first
 * connection's (so the gauge follows that one connection, or one long closed) and warns once that the gauge "has
 * been already registered" as soon as the pool opens a second. Neither can be changed from here, so the gauges are
 * not exported and the warning is not logged; the pool's own meters ({@code sql_pool_queue_size},
 * {@code sql_pool_active}, {@code sql_pool_usage_seconds}, ...) describe the whole pool, and the client's timers and
 * counters add up across connections.
 */
public class SqlClientNoise {

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

    /** Drops the one warning about the per-connection gauges; every other duplicate meter is still logged. */
    @LoggingFilter(name = "rollgate-sql-client-gauges")
    public static final class DuplicateGaugeWarning implements Filter {

        @Override
        public boolean isLoggable(LogRecord record) {
            String message = record.getMessage();
            return message == null || !message.contains("has been already registered")
                    || !message.contains("tag(clientType=sql)")
                    || PER_CONNECTION_GAUGES.stream().noneMatch(gauge -> message.contains(gauge + "',"));
        }
    }
}
