package io.rollgate.overrides;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.cache.Cache;
import io.quarkus.cache.CacheName;
import io.quarkus.cache.CaffeineCache;
import io.rollgate.database.Change;
import io.rollgate.database.ChangeFeed;
import io.rollgate.database.ChangeLog;
import io.rollgate.database.Database;
import io.rollgate.database.DatabaseConfig;
import io.rollgate.engine.OverrideDocument;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.event.ObservesAsync;
import jakarta.inject.Singleton;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * Override documents by scope and id. A hit is served from memory; concurrent misses for one key share
 * one query (the cache stores the loading future). Every loaded document is also kept as last known
 * good, which is what the widget is served when PostgreSQL is down or slow. The documents a starting replica
 * loads in bulk are held apart from the cache until they change.
 */
@Singleton
public class OverrideCache {

    private final CaffeineCache cache;
    private final CaffeineCache lastKnownGoodCache;
    private final LastKnownGood<OverrideDocument> lastKnownGood;
    private final OverrideRepository repository;
    private final Database database;
    private final ChangeFeed feed;
    private final ChangeLog changes;
    private final OverrideMeters meters;
    private final MissBatches batches;
    /** Moves on with every invalidation, so a bulk load that raced one is not installed. */
    private final AtomicLong invalidations = new AtomicLong();
    private final Map<Scope, List<String>> preloaded = new ConcurrentHashMap<>();
    /**
     * Per scope, after a bulk load that read every document of it: the ids that may have gained a document since
     * (they changed after the load). An id neither held nor among these has none, and is answered from memory
     * without a read. A scope is absent while that is not known (a load that stopped at its bound, or every
     * document of the scope dropped).
     */
    private final Map<Scope, Set<String>> complete = new ConcurrentHashMap<>();
    /**
     * Per scope, the documents of the last bulk load, held until they change: the change feed drops a changed one
     * here as it drops it from the cache, so a held document is as fresh as a cached one, and it is not read again
     * after the cache's expiry. Held in a plain map by id, a document costs one map entry; in the cache it cost two
     * cache entries (the cache's and last known good's, each with its node, future and stamp), about 300 bytes
     * more, which at a hundred thousand customers was a tenth of the replica's memory. A held document is its own
     * last known good; when it is dropped it is offered to last known good with the load's stamp.
     */
    private final Map<Scope, Held> held = new ConcurrentHashMap<>();
    private final List<BiConsumer<Scope, Set<String>>> droppedListeners = new CopyOnWriteArrayList<>();

    public OverrideCache(@CacheName("overrides") Cache cache,
            @CacheName("overrides-last-known-good") Cache lastKnownGood,
            OverrideRepository repository, Database database, DatabaseConfig config, ChangeFeed feed, ChangeLog changes,
            MeterRegistry registry) {
        this.feed = feed;
        this.changes = changes;
        this.cache = cache.as(CaffeineCache.class);
        this.lastKnownGoodCache = lastKnownGood.as(CaffeineCache.class);
        this.lastKnownGood = new LastKnownGood<>(this::stamped,
                (key, stamped) -> lastKnownGoodCache.put(key, CompletableFuture.completedFuture(stamped)));
        this.repository = repository;
        this.meters = new OverrideMeters(registry);
        this.batches = new MissBatches(repository::findAll, config.readTimeout(), meters.reads()::increment,
                database::answered, database::failed);
        this.database = database;
    }

    /** The document when it is in memory (or there is no id to look up), without touching the database. */
    public Lookup peek(Scope scope, String id) {
        if (id == null) {
            return Lookup.NONE;
        }
        OverrideDocument document = inMemory(scope, id);
        if (document == null) {
            return null;
        }
        meters.hits().increment();
        return new Lookup(document, false);
    }

    private OverrideDocument inMemory(Scope scope, String id) {
        Held kept = held.get(scope);
        OverrideDocument document = kept == null ? null : kept.documents().get(id);
        if (document != null) {
            return document;
        }
        // a change adds its id here before it drops the held document, so an id in neither has none
        Set<String> mayHave = complete.get(scope);
        if (mayHave != null && !mayHave.contains(id)) {
            return OverrideDocument.EMPTY;
        }
        CompletableFuture<OverrideDocument> cached = cache.getIfPresent(scope.cacheKey(id));
        return cached != null && cached.isDone() && !cached.isCompletedExceptionally() ? cached.join() : null;
    }

    /**
     * Reads the documents of {@code ids} (at most {@link MissBatches#MAX_BATCH}) not in memory in one read and
     * installs them, so that a fan-out's chunk renders from memory. Through the cache's loads each miss ran a
     * pipeline of its own (the cache's, Mutiny's, the context's propagation): most of a runbook's fan-out. What a
     * change drops meanwhile is not left installed; a failed read installs nothing, and the renders read again.
     */
    public Uni<Void> readAhead(Scope scope, Collection<String> ids) {
        List<String> missing = ids.stream().filter(id -> id != null && inMemory(scope, id) == null).distinct()
                .toList();
        if (missing.isEmpty() || missing.size() > MissBatches.MAX_BATCH || !database.isUp()) {
            return Uni.createFrom().voidItem();
        }
        long before = invalidations.get();
        long stamp = lastKnownGood.stamp();
        meters.loads().increment(missing.size());
        return batches.readNow(scope, missing).invoke(found -> {
            missing.forEach(id -> {
                OverrideDocument document = found.getOrDefault(id, OverrideDocument.EMPTY);
                cache.put(scope.cacheKey(id), CompletableFuture.completedFuture(document));
                lastKnownGood.offer(scope.cacheKey(id), stamp, document);
            });
            if (invalidations.get() != before) { // a change raced the read: what it dropped may be back, stale
                missing.forEach(id -> cache.invalidate(scope.cacheKey(id)).subscribe().with(ignored -> {
                }));
            }
        }).onFailure().recoverWithNull().replaceWithVoid();
    }

    /** Loads a document that {@link #peek} did not find, or falls back to last known good data. */
    public Uni<Lookup> miss(Scope scope, String id) {
        String key = scope.cacheKey(id);
        meters.misses().increment();
        if (!database.isUp()) {
            return Uni.createFrom().item(fallback(key));
        }
        return cache.<String, OverrideDocument>getAsync(key, k -> load(scope, id, k))
                .map(document -> new Lookup(document, false))
                // the read's failure is the database's to count, once however many misses waited on it
                .onFailure().recoverWithItem(failure -> fallback(key));
    }

    private Uni<OverrideDocument> load(Scope scope, String id, String key) {
        meters.loads().increment();
        long stamp = lastKnownGood.stamp();
        return Uni.createFrom().completionStage(() -> batches.find(scope, id))
                .invoke(document -> lastKnownGood.offer(key, stamp, document));
    }

    /**
     * Loads the most recently changed documents of both scopes (at most {@code limit} each) in one read per scope,
     * so a starting replica answers its first requests from memory. A scope that had no more documents than the
     * limit is then known whole: an id without a document costs no read. A change heard meanwhile discards the
     * load: the documents then come one miss at a time, as they would have anyway.
     */
    public Uni<Integer> preload(int limit) {
        if (limit <= 0) {
            return Uni.createFrom().item(0); // turned off: every document is read on first use
        }
        long before = invalidations.get();
        long stamp = lastKnownGood.stamp();
        // one row past the bound tells whether the bound held every document
        int read = limit == Integer.MAX_VALUE ? limit : limit + 1;
        return repository.recent(read)
                .map(recent -> {
                    if (invalidations.get() != before) {
                        return 0;
                    }
                    install(Scope.CUSTOMER, recent.customers(), stamp, limit);
                    install(Scope.ORGANIZATION, recent.organizations(), stamp, limit);
                    if (invalidations.get() != before) {
                        // a change raced the install and may have missed what it installed: held
                        // documents do not expire, so none is kept that could be stale
                        complete.clear();
                        releaseAll(null);
                        return 0;
                    }
                    // a change committed after this read but not heard (before LISTEN was open) is replayed from
                    // the change log: the feed starts no later than the revision the documents were read at
                    feed.startNoLaterThan(recent.revision());
                    return Math.min(recent.customers().size(), limit) + Math.min(recent.organizations().size(), limit);
                });
    }

    /** Whether every document of {@code scope} is known here, so ids without one are answered from memory. */
    public boolean knowsEveryDocument(Scope scope) {
        return complete.containsKey(scope);
    }

    /** Some of the ids whose documents the last bulk load brought into memory, most recently changed first. */
    public List<String> preloaded(Scope scope) {
        return preloaded.getOrDefault(scope, List.of());
    }

    private void install(Scope scope, Map<String, OverrideDocument> documents, long stamp, int limit) {
        preloaded.put(scope, documents.keySet().stream().limit(Math.min(limit, 1000)).toList());
        boolean whole = documents.size() <= limit;
        // customers of one tier tend to carry the same overrides: they share one document
        Map<OverrideDocument, OverrideDocument> distinct = new HashMap<>();
        documents.replaceAll((id, document) -> distinct.computeIfAbsent(document, d -> d));
        HeldDocuments kept = HeldDocuments.of(documents, limit);
        if (whole) {
            complete.put(scope, ConcurrentHashMap.newKeySet());
        } else {
            complete.remove(scope);
        }
        release(scope, held.put(scope, new Held(stamp, kept)));
    }

    private record Held(long stamp, HeldDocuments documents) {
    }

    /** Stops holding one bulk-loaded document; it stays last known good unless a newer one is known. */
    private void release(Scope scope, String id) {
        Held kept = held.get(scope);
        OverrideDocument document = kept == null ? null : kept.documents().remove(id);
        if (document != null) {
            lastKnownGood.offer(scope.cacheKey(id), kept.stamp(), document);
        }
    }

    /** Stops holding every bulk-loaded document of {@code scope}, or of every scope when it is null. */
    private void releaseAll(Scope scope) {
        for (Scope each : scope == null ? Scope.values() : new Scope[]{ scope }) {
            release(each, held.remove(each));
        }
    }

    private void release(Scope scope, Held released) {
        if (released != null) {
            released.documents().forEach(
                    (id, document) -> lastKnownGood.offer(scope.cacheKey(id), released.stamp(), document));
        }
    }

    /**
     * Drops what is held for customers whose ids start with {@code prefix}, documents and last known good alike: ids
     * no widget will ask for again, read only because they were asked for once.
     */
    public Uni<Void> forgetCustomers(String prefix) {
        String keys = Scope.CUSTOMER.cacheKey(prefix);
        Held kept = held.get(Scope.CUSTOMER);
        if (kept != null) {
            kept.documents().removeIf(id -> id.startsWith(prefix));
        }
        Predicate<Object> theirs = key -> String.valueOf(key).startsWith(keys);
        return cache.invalidateIf(theirs).call(() -> lastKnownGoodCache.invalidateIf(theirs));
    }

    /** Before a document is dropped: it may exist now, so it is read, not assumed absent. */
    private void mayHave(Scope scope, String id) {
        Set<String> mayHave = complete.get(scope);
        if (mayHave != null) {
            mayHave.add(id);
        }
    }

    private LastKnownGood.Stamped<OverrideDocument> stamped(String key) {
        CompletableFuture<LastKnownGood.Stamped<OverrideDocument>> known = lastKnownGoodCache.getIfPresent(key);
        return known != null && known.isDone() && !known.isCompletedExceptionally() ? known.join() : null;
    }

    private Lookup fallback(String key) {
        meters.fallbacks().increment();
        OverrideDocument document = lastKnownGood.value(key);
        return new Lookup(document != null ? document : OverrideDocument.EMPTY, true);
    }

    /** After a committed write: the next read loads the new document; last known good gets it at once. */
    public Uni<Void> written(Scope scope, String id, OverrideDocument document) {
        invalidations.incrementAndGet();
        mayHave(scope, id);
        String key = scope.cacheKey(id);
        lastKnownGood.offer(key, lastKnownGood.stamp(), document);
        release(scope, id);
        return cache.invalidate(key);
    }

    /**
     * A document changed, by any replica or in SQL, or an operator cleared the cache: drop what may be
     * stale. Clearing every document, or a resync, drops them all.
     */
    void onChange(@ObservesAsync Change change) {
        invalidations.incrementAndGet();
        switch (change.subject()) {
            case CUSTOMER -> drop(Scope.CUSTOMER, change);
            case ORGANIZATION -> drop(Scope.ORGANIZATION, change);
            case OVERRIDES, ALL -> {
                complete.clear();
                releaseAll(null);
                cache.invalidateAll().subscribe().with(ignored -> dropped(null, null));
            }
            default -> {
            }
        }
    }

    /**
     * Runs {@code listener} after documents were dropped because they changed: with a scope and the ids of the
     * documents (one transaction's, however many), a scope and null for every document of the scope, nulls for every
     * document.
     */
    public void onDropped(BiConsumer<Scope, Set<String>> listener) {
        droppedListeners.add(listener);
    }

    /** Drops what one transaction changed in one pass over the cache, however many documents it wrote. */
    private void drop(Scope scope, Change change) {
        if (change.allKeys()) {
            complete.remove(scope);
            releaseAll(scope);
            cache.invalidateIf(key -> String.valueOf(key).startsWith(scope.cacheKey("")))
                    .subscribe().with(ignored -> dropped(scope, null));
            return;
        }
        drop(scope, change.keys());
    }

    /**
     * Drops the documents of {@code ids} as a change of them would, though none changed: a starting replica
     * rehearses a runbook's change on the streams it opened to itself, for made-up customers without a document, so
     * that the batched reads and renders of the first real one are compiled already. Unlike a change, it leaves a
     * bulk load under way alone: nothing it could have missed changed. Their ids stay among those that may have a
     * document (a few hundred, read only if asked for): one of them could gain a document meanwhile.
     */
    public void rehearseChange(Scope scope, Set<String> ids) {
        drop(scope, ids);
    }

    private void drop(Scope scope, Set<String> ids) {
        ids.forEach(id -> {
            mayHave(scope, id);
            release(scope, id);
        });
        Uni<Void> invalidation;
        if (ids.size() == 1) {
            invalidation = cache.invalidate(scope.cacheKey(ids.iterator().next()));
        } else {
            String prefix = scope.cacheKey("");
            invalidation = cache.invalidateIf(key -> {
                String cached = String.valueOf(key);
                return cached.startsWith(prefix) && ids.contains(cached.substring(prefix.length()));
            });
        }
        invalidation.subscribe().with(ignored -> dropped(scope, ids));
    }

    private void dropped(Scope scope, Set<String> ids) {
        droppedListeners.forEach(listener -> listener.accept(scope, ids));
    }

    /**
     * Clears one document (or, with a null scope, every document) on every replica: recorded as a change,
     * so each replica drops it when it hears the revision, this one before answering.
     */
    public Uni<CacheCleared> clearEverywhere(Scope scope, String id) {
        database.requireUp();
        Change.Subject subject = scope == null
                ? Change.Subject.OVERRIDES
                : scope == Scope.CUSTOMER ? Change.Subject.CUSTOMER : Change.Subject.ORGANIZATION;
        String what = scope == null ? "every override document" : scope.cacheKey(id);
        return database.bounded(changes.record(subject, id))
                .call(() -> {
                    // cleared after a write no trigger saw: what is known of the documents is known no more
                    if (scope == null) {
                        complete.clear();
                        releaseAll(null);
                        return cache.invalidateAll();
                    }
                    mayHave(scope, id);
                    release(scope, id);
                    return cache.invalidate(scope.cacheKey(id));
                })
                .map(revision -> new CacheCleared(what, "all", revision, "Cleared on this replica; every other "
                        + "replica clears it when it hears change revision " + revision + ", normally within "
                        + "milliseconds and at most about a second"));
    }

    public CacheStats stats(int maxKeys) {
        return CacheStats.of(Stream.concat(cache.keySet().stream().map(String::valueOf), heldKeys()),
                Stream.concat(lastKnownGoodCache.keySet().stream().map(String::valueOf), heldKeys()),
                (long) meters.hits().count(), (long) meters.misses().count(), maxKeys);
    }

    private Stream<String> heldKeys() {
        return held.entrySet().stream()
                .flatMap(scope -> scope.getValue().documents().ids().map(scope.getKey()::cacheKey));
    }
}
