package io.rollgate.events;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Rollout event ingestion and retention. */
@ConfigMapping(prefix = "rollgate.events")
public interface EventsConfig {

    /** Most events one batch may carry. */
    @WithDefault("1000")
    int maxBatchSize();

    /** How far in the future an event's timestamp may be (reporter clock skew) before it is refused. */
    @WithDefault("5m")
    Duration maxClockSkew();

    /**
     * How long raw event rows are kept; older events are refused at intake. Rows are kept in UTC days and a day is
     * dropped whole once its last moment is this old, so a row stays between this and a day more. Per-minute counters
     * stay longer.
     */
    @WithDefault("7d")
    Duration rawRetention();

    /** How long per-minute counters are kept. */
    @WithDefault("90d")
    Duration counterRetention();

    /** How often expired days of raw events are dropped (and the days ahead created), and old counters deleted. */
    @WithDefault("1h")
    Duration retentionInterval();

    /**
     * Transactions storing event batches at once; batches arriving while all are busy share the next one.
     */
    @WithDefault("4")
    int writers();

    /**
     * Most events of accepted batches waiting for a writer on one replica; a batch beyond it is refused with 503 and
     * Retry-After, so a database slower than the reporters costs refusals rather than memory (a batch larger than the
     * bound is still taken while nothing else waits).
     */
    @WithDefault("50000")
    int maxQueuedEvents();

    /** Most events one shared transaction carries (a larger single batch still goes alone). */
    @WithDefault("5000")
    int eventsPerWrite();
}
