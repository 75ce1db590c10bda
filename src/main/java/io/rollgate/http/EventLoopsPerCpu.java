package io.rollgate.http;

import java.util.Set;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * One event loop per CPU unless configured otherwise, on one CPU too. Quarkus starts one per CPU but never fewer
 * than two, and a replica's usual limit is one CPU. Every page load is answered on its loop without waiting, so a
 * second loop on the same CPU only adds the kernel's time slice between the two to a request's wait: on one core at
 * 64 connections the widget config's p99 was 7.6 ms with two loops and 3.4 ms with one, at the same throughput
 * (docs/benchmarks.md). The ordinal is below the application's properties and the environment's, so
 * {@code quarkus.vertx.event-loops-pool-size} (or {@code QUARKUS_VERTX_EVENT_LOOPS_POOL_SIZE}) still decides where
 * it is set.
 *
 * <p>
 * The count is read when asked, never kept: a native executable must see the CPUs of the machine it runs on, not
 * those of the one that built it.
 */
public final class EventLoopsPerCpu implements ConfigSource {

    static final String PROPERTY = "quarkus.vertx.event-loops-pool-size";
    /** Under the application's properties (250) and the environment (300). */
    static final int ORDINAL = 150;

    @Override
    public Set<String> getPropertyNames() {
        return Set.of(PROPERTY);
    }

    @Override
    public String getValue(String propertyName) {
        return PROPERTY.equals(propertyName) ? Integer.toString(Runtime.getRuntime().availableProcessors()) : null;
    }

    @Override
    public int getOrdinal() {
        return ORDINAL;
    }

    @Override
    public String getName() {
        return "rollgate-event-loops-per-cpu";
    }
}
