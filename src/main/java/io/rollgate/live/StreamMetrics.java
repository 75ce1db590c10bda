package io.rollgate.live;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.atomic.AtomicInteger;

/** Open streams, events sent and streams dropped, by kind of stream (widget, ofrep). */
@ApplicationScoped
public class StreamMetrics {

    private final MeterRegistry registry;

    public StreamMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** The meters of one kind of stream. */
    record Meters(AtomicInteger open, Counter sent, Counter droppedSlow) {
    }

    Meters of(String kind) {
        AtomicInteger open = new AtomicInteger();
        Gauge.builder("rollgate_live_streams", open, AtomicInteger::get).tag("kind", kind)
                .description("Open streams of changes on this replica").register(registry);
        Counter sent = Counter.builder("rollgate_live_events_sent").tag("kind", kind)
                .description("Events sent on streams of changes").register(registry);
        Counter dropped = Counter.builder("rollgate_live_streams_dropped").tag("kind", kind)
                .tag("reason", "slow_reader").description("Streams closed because their reader fell behind")
                .register(registry);
        return new Meters(open, sent, dropped);
    }
}
