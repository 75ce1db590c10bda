package io.rollgate.live;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.rollgate.catalog.CatalogService;
import io.rollgate.evaluation.RenderedConfig;
import io.rollgate.evaluation.WidgetConfigService;
import io.rollgate.overrides.OverrideCache;
import io.rollgate.overrides.Scope;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * The open widget config streams of this replica. Streams are grouped by customer and organization; whenever the
 * catalog or one of a group's override documents changes (through this replica, another one, or SQL: all arrive
 * through the change capture), the group's configuration is rendered again and sent only when its tag changed.
 * Memory per stream is the sink and a counter; a reader that lets events pile up is closed, not buffered for.
 */
@ApplicationScoped
public class WidgetStreams {

    private static final Logger LOG = Logger.getLogger(WidgetStreams.class);

    private final WidgetConfigService configs;
    private final LiveConfig config;
    private final Map<String, Group> groups = new ConcurrentHashMap<>();
    private final AtomicInteger open = new AtomicInteger();
    private final Counter sent;
    private final Counter droppedSlow;
    private volatile Sse sse;

    public WidgetStreams(WidgetConfigService configs, LiveConfig config, CatalogService catalogs,
            OverrideCache overrides, Vertx vertx, MeterRegistry registry) {
        this.configs = configs;
        this.config = config;
        Gauge.builder("rollgate_live_streams", open, AtomicInteger::get)
                .description("Open streams of widget configurations on this replica").register(registry);
        this.sent = Counter.builder("rollgate_live_events_sent")
                .description("Events sent on widget configuration streams").register(registry);
        this.droppedSlow = Counter.builder("rollgate_live_streams_dropped")
                .description("Streams closed because their reader fell behind").tag("reason", "slow_reader")
                .register(registry);
        catalogs.onInstalled(catalog -> groups.values().forEach(this::refresh));
        overrides.onDropped(this::documentDropped);
        vertx.setPeriodic(config.heartbeat().toMillis(), ignored -> heartbeat());
    }

    /** One customer and organization's streams, and the tag of what they were last sent. */
    private static final class Group {
        final String customerId;
        final String organizationId;
        final Set<Stream> streams = ConcurrentHashMap.newKeySet();
        final AtomicLong requested = new AtomicLong();
        volatile long applied;
        volatile String etag;

        Group(String customerId, String organizationId) {
            this.customerId = customerId;
            this.organizationId = organizationId;
        }
    }

    /** One open stream: the client's sink and its unwritten events. */
    private static final class Stream {
        final SseEventSink sink;
        final AtomicInteger pending = new AtomicInteger();

        Stream(SseEventSink sink) {
            this.sink = sink;
        }
    }

    /** Whether another stream may open here; false means 503 and the client falls back to polling. */
    public boolean hasRoom() {
        return open.get() < config.maxStreams();
    }

    /**
     * Opens a stream: the current configuration is sent at once, unless {@code lastEventId} names it already (a
     * client resuming with Last-Event-ID after a reconnect missed nothing).
     */
    public void open(String customerId, String organizationId, String lastEventId, SseEventSink sink, Sse sse) {
        this.sse = sse;
        Group group = groups.computeIfAbsent(key(customerId, organizationId),
                ignored -> new Group(customerId, organizationId));
        Stream stream = new Stream(sink);
        group.streams.add(stream);
        open.incrementAndGet();
        configs.rendered(customerId, organizationId, rendered -> rendered).subscribe().with(rendered -> {
            if (group.etag == null) {
                group.etag = rendered.etag();
            }
            if (!id(rendered).equals(lastEventId)) {
                send(group, stream, event(rendered));
            }
        }, failure -> close(group, stream));
    }

    private void documentDropped(Scope scope, String id) {
        for (Group group : groups.values()) {
            boolean concerned = scope == null
                    || (scope == Scope.CUSTOMER && (id == null || id.equals(group.customerId)))
                    || (scope == Scope.ORGANIZATION && (id == null || id.equals(group.organizationId)));
            if (concerned) {
                refresh(group);
            }
        }
    }

    /** Renders the group's configuration again and sends it when it changed; a later refresh wins over this one. */
    private void refresh(Group group) {
        if (group.streams.isEmpty()) {
            return;
        }
        long request = group.requested.incrementAndGet();
        configs.rendered(group.customerId, group.organizationId, rendered -> rendered).subscribe().with(rendered -> {
            synchronized (group) {
                if (request < group.applied || Objects.equals(rendered.etag(), group.etag)) {
                    return;
                }
                group.applied = request;
                group.etag = rendered.etag();
            }
            OutboundSseEvent event = event(rendered);
            group.streams.forEach(stream -> send(group, stream, event));
        }, failure -> LOG.debugf("A widget configuration could not be rendered for its streams: %s", failure));
    }

    private OutboundSseEvent event(RenderedConfig rendered) {
        return sse.newEventBuilder().name("config").id(id(rendered))
                .data(new String(rendered.body(), StandardCharsets.UTF_8)).build();
    }

    /** The event id: the configuration's tag without its quoting, so a resuming client names what it has. */
    static String id(RenderedConfig rendered) {
        String etag = rendered.etag();
        return etag.substring(etag.indexOf('"') + 1, etag.lastIndexOf('"'));
    }

    private void send(Group group, Stream stream, OutboundSseEvent event) {
        if (stream.sink.isClosed()) {
            close(group, stream);
            return;
        }
        if (stream.pending.incrementAndGet() > config.maxPendingEvents()) {
            droppedSlow.increment();
            close(group, stream);
            return;
        }
        stream.sink.send(event).whenComplete((ignored, failure) -> {
            stream.pending.decrementAndGet();
            if (failure != null) {
                close(group, stream);
            } else if (event.getName() != null) {
                sent.increment();
            }
        });
    }

    private void heartbeat() {
        Sse current = sse;
        if (current == null) {
            return;
        }
        OutboundSseEvent comment = current.newEventBuilder().comment("keep-alive").build();
        groups.values().forEach(group -> group.streams.forEach(stream -> send(group, stream, comment)));
        groups.values().removeIf(group -> group.streams.isEmpty());
    }

    private void close(Group group, Stream stream) {
        if (group.streams.remove(stream)) {
            open.decrementAndGet();
            if (!stream.sink.isClosed()) {
                stream.sink.close();
            }
        }
    }

    /** On shutdown every stream is closed cleanly, so its client reconnects to another replica at once. */
    void closeAll(@Observes ShutdownEvent event) {
        groups.values().forEach(group -> group.streams.forEach(stream -> close(group, stream)));
    }

    private static String key(String customerId, String organizationId) {
        return customerId + '\n' + organizationId;
    }
}
