package io.rollgate.database;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * Hears every committed change the database recorded (see the change-capture migration) and fires it as a
 * {@link Change} for the features to apply. Notices arrive over a dedicated LISTEN connection
 * ({@link ListenConnection}); revisions are contiguous, so a gap in them, a reconnect, or the revision
 * check about once a second finds what a lost notice or a silently dead connection missed, and replays
 * it from the change log.
 */
@ApplicationScoped
public class ChangeFeed {

    private static final Logger LOG = Logger.getLogger(ChangeFeed.class);
    static final String CHANNEL = "rollgate_changes";
    /** More missed revisions than this are not replayed one by one: everything is reloaded instead. */
    private static final int MAX_REPLAY = 5_000;
    /** Catch-ups in a row that found missed notices while listening: the connection is presumed dead. */
    private static final int SUSPECT_AFTER = 3;

    private final Pool pool;
    private final Event<Change> events;
    private final DatabaseConfig ops;
    private final ChangeLog log;
    private final Counter caughtUp;
    private final Counter resets;
    private final AtomicBoolean catchingUp = new AtomicBoolean();
    private final AtomicBoolean again = new AtomicBoolean();
    /** Changes fired whose observers have not all run yet. */
    private final AtomicInteger delivering = new AtomicInteger();
    private final ListenConnection listen;
    /**
     * The lowest revision another part of the start-up read the database at (the bulk load of override documents):
     * the baseline is no later, so a change committed between that read and the first snapshot is replayed.
     */
    private long floor = Long.MAX_VALUE;
    /** Every change up to this revision has been fired; -1 until the first snapshot sets the baseline. */
    private long applied = -1;
    private volatile long databaseRevision = -1;
    /** The database's change generation at the last check; -1 before the first. */
    private long generation = -1;
    private int missesInARow;
    /**
     * Revisions above the applied one whose notice came (guarded by this): true when it named its keys and they
     * were fired, false when it was truncated. The catch-up that follows fires only what was not, and counts as
     * missed only what no notice announced.
     */
    private final NavigableMap<Long, Boolean> heard = new TreeMap<>();

    public ChangeFeed(Vertx vertx, Pool pool, Event<Change> events, ChangesConfig config, DatabaseConfig ops,
            MeterRegistry registry, PoolCreator pools, ChangeLog log) {
        this.pool = pool;
        this.events = events;
        this.ops = ops;
        this.log = log;
        this.listen = new ListenConnection(vertx, pool, pools, config.listenUrl(), CHANNEL, this::onNotice,
                this::catchUpInTheBackground);
        Gauge.builder("rollgate_change_revision", this, ChangeFeed::appliedRevision)
                .description("The change revision up to which this replica has applied every change")
                .register(registry);
        Gauge.builder("rollgate_change_lag", this, ChangeFeed::lag)
                .description("Revisions committed in the database that this replica had not applied at the last check")
                .register(registry);
        this.caughtUp = Counter.builder("rollgate_change_catchups")
                .description("Changes applied from the change log because their notice was missed").register(registry);
        this.resets = Counter.builder("rollgate_change_resets")
                .description("Times the database's revisions went back (a restore, a failover that lost commits) or "
                        + "its generation moved, and this replica reloaded everything from a new baseline")
                .register(registry);
    }

    public boolean isListening() {
        return listen.isListening();
    }

    /**
     * Waits, never on an event loop, until LISTEN is first open or {@code bound} has passed; whether it is open. The
     * start-up reads wait on it, so a change committed while they run is heard; past the bound they go ahead, and
     * what they missed is replayed from the change log ({@link #startNoLaterThan}).
     */
    public boolean awaitListening(Duration bound) {
        return listen.awaitListening(bound);
    }

    public synchronized long appliedRevision() {
        return applied;
    }

    /**
     * The revision up to which every change has not only been fired but taken in by every observer (documents
     * dropped, reloads requested): the applied revision while no change is still being delivered, -1 otherwise. A
     * change is always delivered before the applied revision moves past it.
     */
    public long takenInRevision() {
        long revision = appliedRevision();
        return delivering.get() == 0 ? revision : -1;
    }

    /** Fires a change to its observers, counted until every one of them has run. */
    private void deliver(Change change) {
        delivering.incrementAndGet();
        events.fireAsync(change).whenComplete((ignored, failure) -> delivering.decrementAndGet());
    }

    /**
     * A part of the start-up read the database at {@code revision}, before the first snapshot: the feed starts from
     * no later than that, so whatever changed after the read is fired even if its notice came before LISTEN was open.
     */
    public synchronized void startNoLaterThan(long revision) {
        if (applied < 0) {
            floor = Math.min(floor, revision);
        }
    }

    /** The database's revision at the last check; -1 before the first. */
    public long databaseRevision() {
        return databaseRevision;
    }

    /** How many committed revisions this replica had not applied at the last check. */
    public synchronized long lag() {
        return applied < 0 || databaseRevision < 0 ? 0 : Math.max(0, databaseRevision - applied);
    }

    /**
     * Called with the revision of the first snapshot a replica loads: every later change is fired from
     * here on, whether its notice arrives or not.
     */
    public void baseline(long revision) {
        synchronized (this) {
            if (applied >= 0) {
                return;
            }
            applied = Math.min(revision, floor);
        }
        catchUpInTheBackground();
    }

    /** Before the start-up reads (a lower priority runs first), which wait for LISTEN to be open. */
    void onStart(@Observes @Priority(1) StartupEvent event) {
        listen.open();
    }

    /**
     * As the container stops, a failed start included (no shutdown event then): a LISTEN connection closing or
     * opening after that must not reach for the pool or open another.
     */
    @PreDestroy
    void close() {
        listen.close();
    }

    /**
     * A transaction's notice: its revision and, when they fit in a notice, its keys by subject. A notice that says
     * "truncated" carries counts only; the keys are read from the change log, as for a missed notice.
     */
    private void onNotice(String payload) {
        ChangeNotice notice;
        try {
            notice = ChangeNotice.parse(payload);
        } catch (RuntimeException e) {
            LOG.warnf("Ignoring a malformed change notification (%s)", e.getMessage());
            return;
        }
        long revision = notice.revision();
        boolean truncated = notice.truncated();
        notice.changes().forEach(this::deliver);
        boolean gap;
        synchronized (this) {
            // notices come in commit order and revisions are contiguous: anything else is a missed notice, or (a
            // revision not above the one applied) a database whose revisions went back, which the check below tells
            gap = applied >= 0 && (truncated || revision > applied + 1 || revision <= applied);
            if (applied >= 0 && !gap) {
                applied = Math.max(applied, revision);
            } else if (applied >= 0 && revision > applied) {
                heard.put(revision, !truncated);
            }
        }
        if (gap) {
            catchUpInTheBackground();
        }
    }

    /** A catch-up nobody waits for: a failed one is retried by the next check. */
    private void catchUpInTheBackground() {
        catchUp().subscribe().with(ignored -> {
        }, e -> {
        });
    }

    /** The safety net behind the notices: one indexed row read about once a second. */
    @Scheduled(every = "${rollgate.changes.poll-interval:1s}", delayed = "1s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> check() {
        return catchUp().onFailure().recoverWithNull();
    }

    /**
     * Reads the current revision and fires, from the change log, every change this replica has not applied. Asked
     * while a catch-up runs, that one goes again when it is done: what it read may predate what prompted the ask.
     */
    Uni<Void> catchUp() {
        if (appliedRevision() < 0) {
            return Uni.createFrom().voidItem();
        }
        again.set(true);
        if (!catchingUp.compareAndSet(false, true)) {
            return Uni.createFrom().voidItem();
        }
        again.set(false);
        // what was applied when the question was asked: a notice handled while the answer travels may apply a
        // revision the answer could not see yet, and that is no database going back
        long asked = appliedRevision();
        return pool.query("SELECT revision, generation FROM change_revision").execute()
                .ifNoItem().after(ops.readTimeout()).fail()
                .chain(rows -> {
                    Row row = rows.iterator().next();
                    long current = row.getLong("revision");
                    databaseRevision = current;
                    if (wentBack(current, row.getLong("generation"), asked)) {
                        return Uni.createFrom().voidItem();
                    }
                    long from = appliedRevision();
                    if (current <= from) {
                        synchronized (this) {
                            missesInARow = 0;
                        }
                        return Uni.createFrom().voidItem();
                    }
                    if (current - from > MAX_REPLAY) {
                        replay(from, current, null);
                        return Uni.createFrom().voidItem();
                    }
                    return log.between(from, current).invoke(logged -> replay(from, current, logged));
                })
                .replaceWithVoid()
                .eventually(() -> {
                    catchingUp.set(false);
                    if (again.get()) {
                        catchUpInTheBackground();
                    }
                });
    }

    /**
     * Whether the database's revisions went back under this replica: lower than what it applied (a restore, a
     * failover to a standby that lacked the last commits), or another generation (the restore runbook bumps it, for
     * a restore that later writes have already carried past the old number). Then nothing applied is trusted: the
     * baseline becomes the database's revision and everything is reloaded, with a reset that lets every snapshot be
     * replaced by one read at a lower revision.
     */
    private boolean wentBack(long current, long currentGeneration, long asked) {
        long from;
        long before;
        synchronized (this) {
            before = generation;
            generation = currentGeneration;
            from = applied;
            if (current >= Math.min(from, asked) && (before < 0 || before == currentGeneration)) {
                return false;
            }
            // delivered before the baseline moves, so no one sees the new baseline as taken in before it is
            deliver(Change.reset(current));
            applied = current;
            heard.clear();
            missesInARow = 0;
        }
        resets.increment();
        if (current < from) {
            LOG.warnf("The database's change revision went back from %d to %d (a restore, or a failover to a standby "
                    + "that lacked the last commits): reloading everything from revision %d", from, current, current);
        } else {
            LOG.warnf("The database's change generation moved from %d to %d (a restore): reloading everything from "
                    + "revision %d", before, currentGeneration, current);
        }
        return true;
    }

    /** Fires the changes read from the log, or (the log lacks some, or there are too many) a reload of everything. */
    private void replay(long from, long current, ChangeLog.Logged logged) {
        Map<Long, Boolean> announced;
        synchronized (this) {
            announced = new HashMap<>(heard.headMap(current, true));
        }
        List<Change> unfired = new ArrayList<>();
        int missed = 0;
        for (Change change : logged == null ? List.<Change>of() : logged.changes()) {
            Boolean fired = announced.get(change.revision());
            if (!Boolean.TRUE.equals(fired)) {
                unfired.add(change);
                missed += fired == null ? 1 : 0;
            }
        }
        boolean complete = logged != null && logged.first() == from + 1;
        if (complete) {
            // counted before the changes fire, so whoever sees a replayed change served also sees it counted
            caughtUp.increment(missed);
            unfired.forEach(this::deliver);
        } else {
            LOG.warnf(
                    "Revisions %d to %d are no longer in the change log (or too many to replay): reloading everything",
                    from + 1, current);
            deliver(Change.everything(current));
        }
        boolean suspect;
        synchronized (this) {
            applied = Math.max(applied, current);
            heard.headMap(current, true).clear();
            // a truncated notice is no missed one
            missesInARow = listen.isListening() && (missed > 0 || !complete) ? missesInARow + 1 : 0;
            suspect = missesInARow >= SUSPECT_AFTER;
            if (suspect) {
                missesInARow = 0;
            }
        }
        LOG.debugf("Caught up from revision %d to %d", from, current);
        if (suspect) {
            // notices keep going missing while the connection looks open: it is half dead, start a new one
            LOG.warn("Change notices keep going missing; reopening the LISTEN connection");
            listen.reopen();
        }
    }
}
