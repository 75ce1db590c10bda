package io.rollgate.catalog;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.rollgate.database.Change;
import io.rollgate.database.ChangeFeed;
import io.rollgate.database.Newest;
import io.rollgate.engine.Catalog;
import io.rollgate.errors.DatabaseUnavailableException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.event.ObservesAsync;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * Holds the in-memory catalog snapshot the engine reads. Each snapshot is read in one consistent
 * transaction together with the change revision it reflects, and a replica only ever installs a snapshot
 * newer than the one it serves: reloads may finish in any order without moving it back.
 */
@Singleton
public class CatalogService {

    private static final Logger LOG = Logger.getLogger(CatalogService.class);

    private final FlagCatalogRepository repository;
    private final ChangeFeed feed;
    private final Clock clock;
    private final Newest<Catalog> current = new Newest<>(Catalog.empty());
    /** Reload requests not yet served; one reload runs at a time and serves every request made before it. */
    private final AtomicInteger pending = new AtomicInteger();
    /** The newest revision heard to change the catalog; a failed reload is retried until the snapshot has it. */
    private final AtomicLong wanted = new AtomicLong(-1);
    /** A reload failed since the last one that succeeded. */
    private volatile boolean failed;
    private volatile boolean loaded;

    private final List<Consumer<Catalog>> listeners = new CopyOnWriteArrayList<>();

    public CatalogService(FlagCatalogRepository repository, ChangeFeed feed, Clock clock, MeterRegistry registry) {
        this.repository = repository;
        this.feed = feed;
        this.clock = clock;
        Gauge.builder("rollgate_catalog_revision", this, service -> service.current.get().revision())
                .description("The change revision of the catalog snapshot this replica serves").register(registry);
    }

    /** Reads a fresh snapshot and installs it unless a newer one is already served; answers what is served. */
    public Uni<Catalog> reload() {
        return Uni.createFrom().deferred(() -> {
            long epoch = current.epoch();
            return repository.loadSnapshot()
                    .map(snapshot -> new Catalog(snapshot.flags(), snapshot.rollouts(), snapshot.segments(),
                            snapshot.state().version(), snapshot.state().lastUpdated(), clock.instant(),
                            snapshot.revision()))
                    .map(candidate -> install(candidate, epoch));
        })
                .invoke(() -> failed = false)
                .onFailure().invoke(() -> failed = true);
    }

    /**
     * Runs {@code listener} after each newer snapshot is installed (on the thread that installed it): for what
     * must follow the catalog at once, such as open streams of widget configurations.
     */
    public void onInstalled(Consumer<Catalog> listener) {
        listeners.add(listener);
    }

    private Catalog install(Catalog candidate, long epoch) {
        Catalog installed = current.offer(candidate, epoch, candidate.revision());
        if (installed == candidate) {
            listeners.forEach(listener -> listener.accept(candidate));
            candidate.rollouts().stream().filter(rollout -> !rollout.consistent()).forEach(rollout -> LOG.warnf(
                    "The rollout of %s is stored at %s with percentage %d, which disagree: served off until fixed",
                    rollout.flagKey(), rollout.tier().wireName(), rollout.percentage()));
            if (!loaded) {
                LOG.infof("Flag catalog loaded: %d flags at revision %d", candidate.size(), candidate.revision());
                loaded = true;
                feed.baseline(candidate.revision());
            }
        }
        return installed;
    }

    /** After a committed change on this replica: answers once the snapshot has it (best effort). */
    public Uni<Catalog> refresh() {
        return reload()
                .onFailure().invoke(e -> LOG.warn("Catalog reload after a change failed; retried within a second", e))
                .onFailure().recoverWithItem(current::get);
    }

    /** The current snapshot, empty before the first load; for readers that must not fail (metrics). */
    public Catalog snapshot() {
        return current.get();
    }

    /** A change of flags, kill switches, rollouts or segments by anyone (this replica included), or a full resync. */
    void onChange(@ObservesAsync Change change) {
        if (loaded && change.reset()) {
            // the database's revisions went back: the snapshot held was read at a revision that no longer means what
            // it meant, and the next one read replaces it whatever its number
            current.reset();
            wanted.set(change.revision());
            requestReload();
            return;
        }
        // the revision held, not the snapshot's: after a reset it is none until a snapshot of the new history is in,
        // so a change of that history heard meanwhile is never taken as one the old snapshot already had
        if (!loaded || !change.subject().touchesCatalog() || change.revision() <= current.revision()) {
            return;
        }
        wanted.accumulateAndGet(change.revision(), Math::max);
        requestReload();
    }

    /** Retries a reload that failed: the snapshot stays behind the newest catalog change heard. */
    @Scheduled(every = "${rollgate.changes.poll-interval:1s}", delayed = "1s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void retryBehind() {
        if (loaded && (failed || wanted.get() > current.revision())) {
            requestReload();
        }
    }

    private void requestReload() {
        if (pending.getAndIncrement() == 0) {
            runReload();
        }
    }

    private void runReload() {
        int served = pending.get();
        reload().subscribe().with(catalog -> reloaded(served), failure -> {
            LOG.debug("Catalog reload on a change failed; retried at the next revision check", failure);
            reloaded(served);
        });
    }

    private void reloaded(int served) {
        if (pending.addAndGet(-served) > 0) {
            runReload();
        }
    }

    public boolean isLoaded() {
        return loaded;
    }

    /** Whether the snapshot has every catalog change heard so far: no reload pending, failed or behind. */
    public boolean isCaughtUp() {
        return loaded && !failed && pending.get() == 0 && wanted.get() <= current.revision();
    }

    /** The current snapshot; fails with 503 before the first load, when no answer can be trusted. */
    public Catalog require() {
        if (!loaded) {
            throw new DatabaseUnavailableException("The flag catalog has not been loaded yet", null);
        }
        return current.get();
    }
}
