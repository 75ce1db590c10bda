package io.rollgate.live;

import io.quarkus.runtime.ShutdownEvent;
import io.rollgate.catalog.CatalogService;
import io.rollgate.database.Database;
import io.rollgate.evaluation.RenderedConfig;
import io.rollgate.evaluation.WidgetConfigService;
import io.rollgate.overrides.OverrideCache;
import io.rollgate.overrides.Scope;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * The open widget config streams of this replica. Streams are grouped by customer and organization; whenever the
 * catalog or one of a group's override documents changes (through this replica, another one, or SQL: all arrive
 * through the change capture), the group's configuration is rendered again and sent only when its tag changed.
 * Memory per stream is its response and a counter.
 */
@ApplicationScoped
public class WidgetStreams {

    private static final Logger LOG = Logger.getLogger(WidgetStreams.class);

    private final WidgetConfigService configs;
    private final LiveConfig config;
    private final StreamCapacity capacity;
    private final StreamMetrics.Meters meters;
    private final OverrideCache overrides;
    private final Groups<Group> groups = new Groups<>(group -> group.subscribers.isEmpty());
    /** Groups whose last render was stale, to be rendered again (see {@link #renderStaleAgain}). */
    private final Set<Group> stale = ConcurrentHashMap.newKeySet();
    private static final Duration STALE_RETRY = Duration.ofSeconds(1);
    /** Where fan-outs run that no event loop started. */
    private final Context fanOut;
    private final Frame heartbeat = Frame.comment("keep-alive");

    /**
     * Groups rendered at a time: the documents they lack fit in one read (a read takes up to 500 ids), and
     * their renders hold the event loop for a few milliseconds.
     */
    private static final int CHUNK = 250;

    public WidgetStreams(WidgetConfigService configs, LiveConfig config, StreamCapacity capacity,
            StreamMetrics metrics, CatalogService catalogs, OverrideCache overrides, Database database, Vertx vertx) {
        this.configs = configs;
        this.config = config;
        this.capacity = capacity;
        this.meters = metrics.of("widget");
        this.overrides = overrides;
        this.fanOut = vertx.getOrCreateContext();
        catalogs.onInstalled(catalog -> refreshAll());
        overrides.onDropped(this::documentDropped);
        vertx.setPeriodic(config.heartbeat().toMillis(), ignored -> heartbeat());
        vertx.setPeriodic(STALE_RETRY.toMillis(), ignored -> renderStaleAgain(database));
        capacity.onDrain(this::closeAll);
    }

    /**
     * Groups last rendered from last known good data (the database was down, or a read of their documents took too
     * long) are rendered again once it answers: no change may come for hours to send them their fresh configuration.
     */
    private void renderStaleAgain(Database database) {
        if (stale.isEmpty() || !database.isUp()) {
            return;
        }
        List<Group> again = new ArrayList<>(stale);
        stale.removeAll(again);
        refreshInChunks(again);
    }

    /** One customer and organization's streams, and the tag of what they were last sent. */
    private static final class Group {
        final String customerId;
        final String organizationId;
        final Set<Subscriber> subscribers = ConcurrentHashMap.newKeySet();
        final AtomicLong requested = new AtomicLong();
        long applied;
        String etag;

        Group(String customerId, String organizationId) {
            this.customerId = customerId;
            this.organizationId = organizationId;
        }
    }

    /**
     * Opens a stream, or answers false when the replica holds its maximum. The current configuration is sent at
     * once, unless {@code lastEventId} names it already (a client resuming after a reconnect missed nothing).
     */
    public boolean open(String customerId, String organizationId, String lastEventId, Wire wire) {
        if (!capacity.take()) {
            return false;
        }
        Subscriber[] joined = new Subscriber[1];
        Group group = groups.join(customerId + '\n' + organizationId, () -> new Group(customerId, organizationId),
                target -> {
                    joined[0] = new Subscriber(wire, meters, capacity, config.maxPendingEvents(),
                            target.subscribers::remove, lastEventId);
                    target.subscribers.add(joined[0]);
                });
        Subscriber subscriber = joined[0];
        long request = group.requested.incrementAndGet();
        configs.rendered(customerId, organizationId, rendered -> rendered).subscribe()
                .with(rendered -> apply(group, request, rendered, subscriber), failure -> subscriber.close());
        return true;
    }

    /**
     * Every group, rendered after the change that installed the catalog has been answered, a chunk per turn of
     * the event loop: thousands of streams must not hold up the request that made the change, nor the others.
     */
    private void refreshAll() {
        refreshInChunks(new ArrayList<>(groups.all()));
    }

    /**
     * The groups whose documents one transaction changed, found in one pass however many it changed, and each
     * rendered once: a runbook's UPDATE of a hundred thousand documents is one change here, not a hundred thousand.
     */
    private void documentDropped(Scope scope, Set<String> ids) {
        List<Group> concerned = new ArrayList<>();
        for (Group group : groups.all()) {
            boolean theirs = scope == null
                    || (scope == Scope.CUSTOMER && (ids == null || ids.contains(group.customerId)))
                    || (scope == Scope.ORGANIZATION && (ids == null || ids.contains(group.organizationId)));
            if (theirs) {
                concerned.add(group);
            }
        }
        refreshInChunks(concerned);
    }

    /**
     * Renders again, and sends, the configuration of every group of customers whose ids start with {@code prefix},
     * as a change of the catalog does: a starting replica rehearses the fan-out on streams it opened to itself,
     * with a catalog of its own for them (see {@code EvaluationService.rehearse}), so that the first real change
     * after a deploy does not compile it while thousands of streams wait. Their kept answers stay, from older
     * inputs as after a real change; their streams are sent the render even if it did not change.
     */
    public void rehearseChange(String prefix) {
        refreshInChunks(forgetSent(prefix));
    }

    /**
     * As {@link #rehearseChange}, for a change of those customers' documents (which they have none of) such as a
     * runbook's UPDATE: their documents are dropped from memory and read again in batches as their groups are
     * rendered, a path no flag change runs (a runbook after a deploy compiled it while ten thousand streams waited).
     */
    public void rehearseDocumentChange(String prefix) {
        Set<String> customers = new HashSet<>();
        forgetSent(prefix).forEach(group -> customers.add(group.customerId));
        overrides.rehearseChange(Scope.CUSTOMER, customers); // its groups are rendered as it drops them
    }

    /** The groups of customers whose ids start with {@code prefix}, their streams made to take the next render. */
    private List<Group> forgetSent(String prefix) {
        List<Group> concerned = new ArrayList<>();
        for (Group group : groups.all()) {
            if (group.customerId.startsWith(prefix)) {
                synchronized (group) {
                    group.etag = null;
                }
                group.subscribers.forEach(Subscriber::forgetSent);
                concerned.add(group);
            }
        }
        return concerned;
    }

    /** Closes the streams of customers whose ids start with {@code prefix}: the rehearsal's, once it is over. */
    public void closeCustomers(String prefix) {
        groups.all().stream().filter(group -> group.customerId.startsWith(prefix))
                .forEach(group -> group.subscribers.forEach(Subscriber::close));
        groups.dropEmpty();
    }

    /**
     * Renders {@code concerned} a chunk at a time, the next once the last one is rendered and sent: requests
     * interleave, the documents a chunk lacks are read together ({@link OverrideCache#readAhead}), and a
     * chunk's read never waits behind another chunk's renders, where the read's time could run out while the
     * database had long answered (two chunks under way at once fanned a runbook out about a fifth faster, one run
     * each, and let reads time out on a loaded machine). A change heard
     * off the event loops (the change feed's observers) is rendered on the fan-out's own.
     */
    private void refreshInChunks(List<Group> concerned) {
        if (concerned.isEmpty()) {
            return;
        }
        Context here = Vertx.currentContext();
        Context context = here != null && here.isEventLoopContext() ? here : fanOut;
        AtomicInteger next = new AtomicInteger();
        context.runOnContext(ignored -> refreshNext(context, concerned, next));
    }

    private void refreshNext(Context context, List<Group> concerned, AtomicInteger next) {
        int from = next.getAndAdd(CHUNK);
        if (from >= concerned.size()) {
            return;
        }
        List<Group> chunk = concerned.subList(from, Math.min(concerned.size(), from + CHUNK));
        // the chunk's documents not in memory read in one read per scope, its renders then made from memory
        Uni.combine().all()
                .unis(overrides.readAhead(Scope.CUSTOMER, chunk.stream().map(group -> group.customerId).toList()),
                        overrides.readAhead(Scope.ORGANIZATION,
                                chunk.stream().map(group -> group.organizationId).toList()))
                .discardItems().subscribe().with(ignored -> {
                    if (Vertx.currentContext() == context) { // nothing to read
                        refreshChunk(context, chunk, concerned, next);
                    } else {
                        context.runOnContext(again -> refreshChunk(context, chunk, concerned, next));
                    }
                });
    }

    private void refreshChunk(Context context, List<Group> chunk, List<Group> concerned, AtomicInteger next) {
        AtomicInteger rendering = new AtomicInteger(chunk.size());
        Runnable rendered = () -> {
            if (rendering.decrementAndGet() == 0) {
                context.runOnContext(ignored -> refreshNext(context, concerned, next));
            }
        };
        chunk.forEach(group -> refresh(group, rendered));
    }

    /**
     * Renders the group's configuration again and sends it when it changed; a later refresh wins over this one.
     * {@code done} runs once it is sent, or was not to be.
     */
    private void refresh(Group group, Runnable done) {
        if (group.subscribers.isEmpty()) {
            done.run();
            return;
        }
        long request = group.requested.incrementAndGet();
        configs.renderedForStreams(group.customerId, group.organizationId).subscribe().with(rendered -> {
            try {
                apply(group, request, rendered, null);
            } finally {
                done.run();
            }
        }, failure -> {
            LOG.debugf("A widget configuration could not be rendered for its streams: %s", failure);
            done.run();
        });
    }

    /**
     * Sends what render {@code request} of the group made to the group's streams when it differs from what they were
     * last sent, and to {@code joining} (a stream that has just opened, or null) in any case; nothing when a later
     * render of the group was applied already, since that one went to every stream of the group. A stale render is
     * marked to be rendered again.
     */
    private void apply(Group group, long request, RenderedConfig rendered, Subscriber joining) {
        if (rendered.stale()) {
            stale.add(group);
        }
        boolean changed;
        synchronized (group) {
            if (request < group.applied) {
                return;
            }
            changed = !rendered.etag().equals(group.etag);
            group.applied = request;
            group.etag = rendered.etag();
        }
        if (!changed && joining == null) {
            return;
        }
        Frame event = Frame.event("config", id(rendered), rendered.body());
        if (changed) {
            group.subscribers.forEach(subscriber -> subscriber.sendOnce(event));
        } else {
            joining.sendOnce(event);
        }
    }

    /** The event id: the configuration's tag without its quoting, so a resuming client names what it has. */
    static String id(RenderedConfig rendered) {
        String etag = rendered.etag();
        return etag.substring(etag.indexOf('"') + 1, etag.lastIndexOf('"'));
    }

    private void heartbeat() {
        groups.all().forEach(group -> group.subscribers.forEach(subscriber -> subscriber.send(heartbeat)));
        groups.dropEmpty();
    }

    /** On shutdown every stream is closed cleanly, so its client reconnects to another replica at once. */
    void closeAll(@Observes ShutdownEvent event) {
        closeAll();
    }

    private void closeAll() {
        groups.all().forEach(group -> group.subscribers.forEach(Subscriber::close));
    }
}
