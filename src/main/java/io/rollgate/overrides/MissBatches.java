package io.rollgate.overrides;

import io.rollgate.engine.OverrideDocument;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;
import java.util.function.Consumer;

/**
 * Cache misses of one moment read together: a replica that starts under load, or a burst of new customers,
 * would otherwise send one query per id. Misses collected while the event loop handles the requests at hand
 * go out as one {@code = ANY($1)} read per scope (at most {@link #MAX_BATCH} ids) once those requests are done.
 * The read, not each miss waiting on it, is what answers or times out: a fan-out's chunk of 250 streams waiting on one
 * slow read counted 250 timeouts in a row and marked the database down.
 */
final class MissBatches {

    static final int MAX_BATCH = 500;

    private final BiFunction<Scope, List<String>, Uni<Map<String, OverrideDocument>>> read;
    private final Duration timeout;
    private final Runnable counted;
    private final Runnable answered;
    private final Consumer<Throwable> failed;
    private final Map<Scope, Map<String, CompletableFuture<OverrideDocument>>> pending = new EnumMap<>(Scope.class);

    /**
     * {@code read} reads the documents of a batch's ids (those it has), each read bounded by {@code timeout};
     * {@code counted} runs as one goes out, {@code answered} or {@code failed} once it is done.
     */
    MissBatches(BiFunction<Scope, List<String>, Uni<Map<String, OverrideDocument>>> read, Duration timeout,
            Runnable counted, Runnable answered, Consumer<Throwable> failed) {
        this.read = read;
        this.timeout = timeout;
        this.counted = counted;
        this.answered = answered;
        this.failed = failed;
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
        readNow(scope, new ArrayList<>(batch.keySet())).subscribe().with(
                found -> batch.forEach((id, future) -> future.complete(found.getOrDefault(id, OverrideDocument.EMPTY))),
                failure -> batch.values().forEach(future -> future.completeExceptionally(failure)));
    }

    /** The documents of {@code ids} (those that have one), read now, as a batch is. */
    Uni<Map<String, OverrideDocument>> readNow(Scope scope, List<String> ids) {
        counted.run();
        return read.apply(scope, ids).ifNoItem().after(timeout).fail().invoke(found -> answered.run())
                .onFailure().invoke(failed);
    }
}
