package io.rollgate.live;

import io.quarkus.runtime.ShutdownEvent;
import io.rollgate.catalog.CatalogService;
import io.rollgate.database.ChangeFeed;
import io.rollgate.overrides.OverrideCache;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import java.time.Clock;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * OFREP event streams (ADR-0008): every OpenFeature client connected here hears {@code refetchEvaluation} when a
 * change could alter any evaluation (the catalog, or any override document), with the flag configuration's tag
 * (the change revision) and time, and re-fetches its bulk evaluation with them. One event per revision, whoever
 * made the change and on whichever replica.
 */
@ApplicationScoped
public class OfrepStreams {

    private final LiveConfig config;
    private final StreamCapacity capacity;
    private final StreamMetrics.Meters meters;
    private final ChangeFeed changes;
    private final CatalogService catalogs;
    private final Clock clock;
    private final Set<Subscriber> subscribers = ConcurrentHashMap.newKeySet();
    private final AtomicLong announced = new AtomicLong();
    private volatile long lastModified;
    private final Frame heartbeat = Frame.comment("keep-alive");

    public OfrepStreams(LiveConfig config, StreamCapacity capacity, StreamMetrics metrics, ChangeFeed changes,
            CatalogService catalogs, OverrideCache overrides, Clock clock, Vertx vertx) {
        this.config = config;
        this.capacity = capacity;
        this.meters = metrics.of("ofrep");
        this.changes = changes;
        this.catalogs = catalogs;
        this.clock = clock;
        this.lastModified = clock.instant().getEpochSecond();
        catalogs.onInstalled(catalog -> changed());
        overrides.onDropped((scope, id) -> changed());
        vertx.setPeriodic(config.heartbeat().toMillis(), ignored -> heartbeat());
        capacity.onDrain(this::closeAll);
    }

    /** The flag configuration's tag: the newest change revision applied here. */
    public long revision() {
        return Math.max(changes.appliedRevision(), catalogs.snapshot().revision());
    }

    /**
     * The newest revision this replica answers with, every change up to it taken in: the catalog snapshot reloaded
     * and the changed documents dropped; -1 while a change is still being taken in.
     */
    public long installedRevision() {
        return catalogs.isCaughtUp() ? changes.takenInRevision() : -1;
    }

    /** When the flag configuration last changed here, in epoch seconds. */
    public long lastModified() {
        return lastModified;
    }

    /** Opens a stream, or answers false when the replica holds its maximum. */
    public boolean open(SseEventSink sink, Sse sse) {
        if (!capacity.take()) {
            return false;
        }
        subscribers.add(
                new Subscriber(Wire.of(sink, sse), meters, capacity, config.maxPendingEvents(), subscribers::remove,
                        null));
        return true;
    }

    private void changed() {
        long revision = revision();
        if (announced.getAndAccumulate(revision, Math::max) >= revision) {
            return; // this revision was announced already (a catalog and an override hook for one change)
        }
        lastModified = clock.instant().getEpochSecond();
        if (subscribers.isEmpty()) {
            return;
        }
        String data = "{\"type\":\"refetchEvaluation\",\"etag\":\"" + revision + "\",\"lastModified\":"
                + lastModified + "}";
        Frame event = Frame.event("message", Long.toString(revision), data);
        subscribers.forEach(subscriber -> subscriber.send(event));
    }

    private void heartbeat() {
        subscribers.forEach(subscriber -> subscriber.send(heartbeat));
    }

    void closeAll(@Observes ShutdownEvent event) {
        closeAll();
    }

    private void closeAll() {
        subscribers.forEach(Subscriber::close);
    }
}
