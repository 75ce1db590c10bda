package io.rollgate.overrides;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/** What the override cache counts: lookups by result, documents and queries read, answers from last known good. */
record OverrideMeters(Counter hits, Counter misses, Counter loads, Counter reads, Counter fallbacks) {

    OverrideMeters(MeterRegistry registry) {
        this(Counter.builder("rollgate_override_cache_requests")
                .description("Override document lookups by result").tag("result", "hit").register(registry),
                Counter.builder("rollgate_override_cache_requests")
                        .description("Override document lookups by result").tag("result", "miss").register(registry),
                Counter.builder("rollgate_override_loads")
                        .description("Override documents read from PostgreSQL").register(registry),
                Counter.builder("rollgate_override_reads")
                        .description("Queries for override documents that were not in memory: one per batch of "
                                + "misses, or per fan-out chunk")
                        .register(registry),
                Counter.builder("rollgate_override_fallbacks")
                        .description("Override lookups answered from last known good data because the database "
                                + "failed")
                        .register(registry));
    }
}
