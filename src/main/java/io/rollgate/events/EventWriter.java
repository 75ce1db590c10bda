package io.rollgate.events;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.rollgate.database.Database;
import io.rollgate.database.DatabaseConfig;
import io.rollgate.errors.DatabaseUnavailableException;
import io.rollgate.errors.ServiceBusyException;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Stores validated batches several to a transaction. Batches that arrive while the writers are busy wait
 * for the next write and share its transaction: the commit, which is what a batch mostly waits for at high
 * rates, is paid once for all of them, and their counters are summed into one upsert per feature, minute
 * and event. Each batch is still acknowledged only after the commit that holds it; when a shared write
 * fails, its batches are written again one at a time, so one batch that cannot be stored refuses only
 * itself.
 * <p>
 * What waits is bounded: past {@code rollgate.events.max-queued-events} a batch is refused at once with 503 and
 * Retry-After, a batch not written within the write timeout is answered 503 and leaves the queue, and a writer's
 * slot is held until its transaction has ended, however long the answers took. A database slower than the
 * reporters therefore costs refusals, never the heap, and a reporter that sends a refused batch again with the same
 * id is answered as a duplicate if it was stored after all.
 */
@ApplicationScoped
public class EventWriter {

    /** What became of a batch: stored by this attempt, by an earlier one, or refused for its id. */
    enum Stored {
        NOW, BEFORE, OTHER_CONTENT
    }

    private record Waiting(PreparedBatch batch, UniEmitter<? super Stored> emitter) {
    }

    private final EventRepository repository;
    private final Database database;
    private final EventsConfig config;
    private final Duration writeTimeout;
    private final ConcurrentLinkedQueue<Waiting> waiting = new ConcurrentLinkedQueue<>();
    /** The numbers of the writers not writing now; a writer's number names the counter rows it adds to. */
    private final ConcurrentLinkedQueue<Integer> idleWriters = new ConcurrentLinkedQueue<>();
    /** Events of the batches in {@link #waiting}. */
    private final AtomicInteger queued = new AtomicInteger();
    private final DistributionSummary shared;
    private final Counter refused;

    public EventWriter(EventRepository repository, Database database, EventsConfig config,
            DatabaseConfig databaseConfig, MeterRegistry registry) {
        this.repository = repository;
        this.database = database;
        this.config = config;
        this.writeTimeout = databaseConfig.writeTimeout();
        for (int writer = 0; writer < config.writers(); writer++) {
            idleWriters.add(writer);
        }
        this.shared = DistributionSummary.builder("rollgate_event_write_batches")
                .description("Event batches acknowledged per committed transaction").register(registry);
        Gauge.builder("rollgate_event_queued_events", queued, AtomicInteger::get)
                .description("Events of accepted batches waiting for a writer (rollgate.events.max-queued-events)")
                .register(registry);
        this.refused = Counter.builder("rollgate_event_batches_refused_total")
                .description("Event batches refused with 503 because too many events waited to be written, or a "
                        + "batch was not written in time")
                .register(registry);
    }

    /**
     * Answers, after commit, whether the batch was stored now, by an earlier attempt, or not at all because the
     * reporter used its id for other events; fails with 503 when too much waits or it was not written in time.
     */
    Uni<Stored> write(PreparedBatch batch) {
        Uni<Stored> written = Uni.createFrom().emitter(emitter -> {
            int waitingEvents = queued.addAndGet(batch.size());
            // a batch larger than the bound is still taken while nothing else waits
            if (waitingEvents > config.maxQueuedEvents() && waitingEvents != batch.size()) {
                queued.addAndGet(-batch.size());
                refused.increment();
                emitter.fail(new ServiceBusyException("Too many events wait to be written on this replica (more than "
                        + config.maxQueuedEvents() + "); nothing of this batch was stored: send it again later"));
                return;
            }
            Waiting entry = new Waiting(batch, emitter);
            // a request that ends (answered 503 below, or gone) takes its batch out of the queue if no writer has it
            emitter.onTermination(() -> {
                if (waiting.remove(entry)) {
                    queued.addAndGet(-batch.size());
                }
            });
            waiting.add(entry);
            startWrites();
        });
        return written.ifNoItem().after(writeTimeout).failWith(() -> {
            refused.increment();
            return new DatabaseUnavailableException("The events were not written in time; send the batch again "
                    + "with the same batchId: one stored meanwhile is answered as a duplicate", null);
        });
    }

    private void startWrites() {
        while (!waiting.isEmpty()) {
            Integer writer = idleWriters.poll();
            if (writer == null) {
                return; // a writer finishing takes what waits
            }
            List<Waiting> taken = take();
            if (taken.isEmpty()) {
                idleWriters.add(writer);
                continue;
            }
            store(writer, taken);
        }
    }

    /** What waits, up to the events one write may carry (at least one batch, however large). */
    private List<Waiting> take() {
        List<Waiting> taken = new ArrayList<>();
        int events = 0;
        Waiting next;
        while ((events == 0 || events < config.eventsPerWrite()) && (next = waiting.poll()) != null) {
            queued.addAndGet(-next.batch().size());
            taken.add(next);
            events += next.batch().size();
        }
        return taken;
    }

    /**
     * Writes what was taken; the writer's slot is given back when the transaction has ended, not when its batches
     * were answered (a batch answered 503 after the write timeout may still be committing).
     */
    private void store(int writer, List<Waiting> taken) {
        transaction(writer, taken).onFailure().transform(database::translate).subscribe().with(stored -> {
            shared.record(taken.size());
            taken.forEach(w -> w.emitter().complete(stored.get(w)));
            finished(writer);
        }, failure -> {
            // a database that is down or slow refuses them all; only a batch's own fault is worth retrying apart
            if (taken.size() == 1 || failure instanceof DatabaseUnavailableException) {
                taken.forEach(w -> w.emitter().fail(failure));
                finished(writer);
                return;
            }
            Multi.createFrom().iterable(taken)
                    .onItem().transformToUniAndConcatenate(alone -> transaction(writer, List.of(alone))
                            .onFailure().transform(database::translate)
                            .invoke(stored -> {
                                shared.record(1);
                                alone.emitter().complete(stored.get(alone));
                            })
                            .onFailure().invoke(alone.emitter()::fail)
                            .onFailure().recoverWithNull())
                    .collect().last()
                    .subscribe().with(done -> finished(writer), impossible -> finished(writer));
        });
    }

    private void finished(int writer) {
        idleWriters.add(writer);
        startWrites();
    }

    /**
     * Claims the batch ids, inserts the raw rows of the batches not stored before and adds their counts, in one
     * statement; answers, per batch, what became of it. A batch twice in one write (a retry sent while the first
     * attempt waits) is stored once.
     */
    private Uni<Map<Waiting, Stored>> transaction(int writer, List<Waiting> taken) {
        // keys in one order in every write, so two writes claiming the same retried ids cannot deadlock
        Map<String, PreparedBatch> byKey = new TreeMap<>();
        taken.forEach(w -> byKey.putIfAbsent(w.batch().key(), w.batch()));
        return repository.store(writer, byKey.values())
                // lost while the statement was on its way or running: the batches may be stored, and a retry under
                // the same ids says
                .onFailure(Database::isConnectivity)
                .transform(failure -> {
                    database.failed(failure);
                    return new DatabaseUnavailableException("The connection to the database was lost while the "
                            + "events were being stored: send the batch again with the same batchId (one stored "
                            + "is answered as a duplicate)", failure);
                })
                .chain(claimed -> {
                    List<PreparedBatch> known = byKey.values().stream().filter(b -> !claimed.contains(b.key()))
                            .toList();
                    Uni<Map<String, String>> hashes = known.isEmpty()
                            ? Uni.createFrom().item(Map.of())
                            : repository.storedHashes(known);
                    return hashes.map(before -> outcomes(taken, byKey, claimed, before));
                });
    }

    /**
     * The first holder of a key claimed now stored it now; any other holder of a key is the same batch again when
     * its content is what was stored under the key (or what this write stored), and another batch under a used name
     * when it is not. A key stored before hashes were kept is taken as the same batch.
     */
    private static Map<Waiting, Stored> outcomes(List<Waiting> taken, Map<String, PreparedBatch> byKey,
            Set<String> claimed, Map<String, String> storedBefore) {
        // each waiting request is its own, even two alike: identity, not equality
        IdentityHashMap<Waiting, Stored> outcomes = new IdentityHashMap<>();
        // byKey holds each key's first holder in the order taken, so the first one met here is the one stored now
        Set<String> firstMet = new java.util.HashSet<>();
        for (Waiting w : taken) {
            PreparedBatch batch = w.batch();
            PreparedBatch first = byKey.get(batch.key());
            if (claimed.contains(batch.key()) && firstMet.add(batch.key())) {
                outcomes.put(w, Stored.NOW);
                continue;
            }
            String stored = claimed.contains(batch.key()) ? first.contentHash() : storedBefore.get(batch.key());
            outcomes.put(w,
                    stored == null || stored.equals(batch.contentHash()) ? Stored.BEFORE : Stored.OTHER_CONTENT);
        }
        return outcomes;
    }
}
