package io.rollgate.events;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.rollgate.database.Database;
import io.rollgate.errors.DatabaseUnavailableException;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
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
 */
@ApplicationScoped
public class EventWriter {

    /** One batch, checked and in columns, as the raw-row insert takes it. */
    record Prepared(String batchId, String actor, List<String> features, List<String> customers, List<String> types,
            List<String> metadata, List<OffsetDateTime> timestamps) {

        int size() {
            return features.size();
        }
    }

    private record Waiting(Prepared batch, UniEmitter<? super Boolean> emitter) {
    }

    private record CountKey(String feature, OffsetDateTime minute, String type) implements Comparable<CountKey> {
        @Override
        public int compareTo(CountKey other) {
            int byFeature = feature.compareTo(other.feature);
            if (byFeature != 0) {
                return byFeature;
            }
            int byMinute = minute.compareTo(other.minute);
            return byMinute != 0 ? byMinute : type.compareTo(other.type);
        }
    }

    private final Pool pool;
    private final EventRepository repository;
    private final Database database;
    private final EventsConfig config;
    private final ConcurrentLinkedQueue<Waiting> waiting = new ConcurrentLinkedQueue<>();
    private final AtomicInteger writing = new AtomicInteger();
    private final DistributionSummary shared;

    public EventWriter(Pool pool, EventRepository repository, Database database, EventsConfig config,
            MeterRegistry registry) {
        this.pool = pool;
        this.repository = repository;
        this.database = database;
        this.config = config;
        this.shared = DistributionSummary.builder("rollgate_event_write_batches")
                .description("Event batches acknowledged per committed transaction").register(registry);
    }

    /** Answers, after commit, true when the batch was stored now and false when an earlier attempt had it. */
    Uni<Boolean> write(Prepared batch) {
        return Uni.createFrom().emitter(emitter -> {
            waiting.add(new Waiting(batch, emitter));
            startWrites();
        });
    }

    private void startWrites() {
        while (!waiting.isEmpty()) {
            int busy = writing.get();
            if (busy >= config.writers()) {
                return; // a writer finishing takes what waits
            }
            if (writing.compareAndSet(busy, busy + 1)) {
                List<Waiting> taken = take();
                if (taken.isEmpty()) {
                    writing.decrementAndGet();
                    continue;
                }
                store(taken);
            }
        }
    }

    /** What waits, up to the events one write may carry (at least one batch, however large). */
    private List<Waiting> take() {
        List<Waiting> taken = new ArrayList<>();
        int events = 0;
        Waiting next;
        while ((events == 0 || events < config.eventsPerWrite()) && (next = waiting.poll()) != null) {
            taken.add(next);
            events += next.batch().size();
        }
        return taken;
    }

    private void store(List<Waiting> taken) {
        database.bounded(transaction(taken)).subscribe().with(fresh -> {
            shared.record(taken.size());
            taken.forEach(w -> w.emitter().complete(fresh.get(w)));
            finished();
        }, failure -> {
            // a database that is down or slow refuses them all; only a batch's own fault is worth retrying apart
            if (taken.size() == 1 || failure instanceof DatabaseUnavailableException) {
                taken.forEach(w -> w.emitter().fail(failure));
                finished();
                return;
            }
            Multi.createFrom().iterable(taken)
                    .onItem().transformToUniAndConcatenate(alone -> database.bounded(transaction(List.of(alone)))
                            .invoke(fresh -> {
                                shared.record(1);
                                alone.emitter().complete(fresh.get(alone));
                            })
                            .onFailure().invoke(alone.emitter()::fail)
                            .onFailure().recoverWithNull())
                    .collect().last()
                    .subscribe().with(done -> finished(), impossible -> finished());
        });
    }

    private void finished() {
        writing.decrementAndGet();
        startWrites();
    }

    /**
     * Claims the batch ids, inserts the raw rows of the batches not stored before and adds their counts,
     * in one transaction; answers, per batch, whether it was stored now. A batch id twice in one write (a
     * retry sent while the first attempt waits) is stored once.
     */
    private Uni<Map<Waiting, Boolean>> transaction(List<Waiting> taken) {
        // ids in one order in every write, so two writes claiming the same retried ids cannot deadlock
        Map<String, Prepared> byId = new TreeMap<>();
        taken.forEach(w -> byId.putIfAbsent(w.batch().batchId(), w.batch()));
        return pool.withTransaction(connection -> repository.claimBatches(connection, byId.values())
                .chain(claimed -> {
                    List<Prepared> fresh = byId.values().stream().filter(b -> claimed.contains(b.batchId())).toList();
                    Uni<Void> stored = fresh.isEmpty()
                            ? Uni.createFrom().voidItem()
                            : repository.insertRaw(connection, fresh).chain(() -> addCounts(connection, fresh));
                    return stored.map(ignored -> freshness(taken, byId, claimed));
                }));
    }

    private Uni<Void> addCounts(SqlConnection connection, List<Prepared> fresh) {
        TreeMap<CountKey, Long> counts = new TreeMap<>();
        for (Prepared batch : fresh) {
            for (int i = 0; i < batch.size(); i++) {
                counts.merge(new CountKey(batch.features().get(i),
                        batch.timestamps().get(i).truncatedTo(ChronoUnit.MINUTES), batch.types().get(i)), 1L,
                        Long::sum);
            }
        }
        return repository.addCounts(connection,
                counts.keySet().stream().map(CountKey::feature).toArray(String[]::new),
                counts.keySet().stream().map(CountKey::minute).toArray(OffsetDateTime[]::new),
                counts.keySet().stream().map(CountKey::type).toArray(String[]::new),
                counts.values().toArray(Long[]::new));
    }

    /** The first holder of a claimed id stored it now; every other holder of an id is a duplicate. */
    private static Map<Waiting, Boolean> freshness(List<Waiting> taken, Map<String, Prepared> byId,
            Set<String> claimed) {
        Map<Waiting, Boolean> fresh = new IdentityHashMap<>();
        for (Waiting w : taken) {
            fresh.put(w, claimed.contains(w.batch().batchId()) && byId.get(w.batch().batchId()) == w.batch());
        }
        return fresh;
    }
}
