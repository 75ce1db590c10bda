package io.rollgate.overrides;

import io.rollgate.engine.OverrideDocument;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Cache misses of one moment read together: a replica that starts under load, or a burst of new customers,
 * would otherwise send one query per id. Misses collected while the event loop handles the requests at hand
 * go out as one {@code = ANY($1)} read per scope (at most {@link #MAX_BATCH} ids) once those requests are done.
 */
final class MissBatches {

    static final int MAX_BATCH = 500;

    private final OverrideRepository repository;
    private final Runnable counted;
    private final Map<Scope, Map<String, CompletableFuture<OverrideDocument>>> pending = new EnumMap<>(Scope.class);

    MissBatches(OverrideRepository repository, Runnable counted) {
        this.repository = repository;
        this.counted = counted;
    }

    /** The document of {@code id}, read with the other misses of the moment. */
    CompletableFuture<OverrideDocument> find(Scope scope, String id) {
        CompletableFuture<OverrideDocument> future;
        boolean first;
        boolean full;
        synchronized (this) {
            Map<String, CompletableFuture<OverrideDocument>> batch = pending.get(scope);
            first = batch == null;
            if (first) {
                batch = new LinkedHashMap<>();
                pending.put(scope, batch);
            }
            future = batch.computeIfAbsent(id, ignored -> new CompletableFuture<>());
            full = batch.size() >= MAX_BATCH;
        }
        if (full) {
            flush(scope);
        } else if (first) {
            Context context = Vertx.currentContext();
            if (context != null) {
                context.runOnContext(ignored -> flush(scope));
            } else {
                flush(scope);
            }
        }
        return future;
    }

    private void flush(Scope scope) {
        Map<String, CompletableFuture<OverrideDocument>> batch;
        synchronized (this) {
            batch = pending.remove(scope);
        }
        if (batch == null || batch.isEmpty()) {
            return;
        }
        counted.run();
        repository.findAll(scope, new ArrayList<>(batch.keySet())).subscribe().with(
                found -> batch.forEach((id, future) -> future.complete(found.getOrDefault(id, OverrideDocument.EMPTY))),
                failure -> batch.values().forEach(future -> future.completeExceptionally(failure)));
    }
}
