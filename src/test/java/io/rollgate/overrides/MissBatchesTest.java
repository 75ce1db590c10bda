package io.rollgate.overrides;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rollgate.engine.OverrideDocument;
import io.smallrye.mutiny.TimeoutException;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Misses of one moment on an event loop, read together, and that read answering or timing out once. */
class MissBatchesTest {

    private static final int MISSES = 250;

    private final Vertx vertx = Vertx.vertx();
    private final List<List<String>> reads = new CopyOnWriteArrayList<>();
    private final AtomicInteger answered = new AtomicInteger();
    private final List<Throwable> failed = new CopyOnWriteArrayList<>();

    @AfterEach
    void close() {
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    private MissBatches batches(BiFunction<Scope, List<String>, Uni<Map<String, OverrideDocument>>> read) {
        return new MissBatches((scope, ids) -> {
            reads.add(ids);
            return read.apply(scope, ids);
        }, Duration.ofMillis(200), () -> {
        }, answered::incrementAndGet, failed::add);
    }

    /** A fan-out's chunk: every miss made in one turn of the event loop. */
    private List<CompletableFuture<OverrideDocument>> missInOneTurn(MissBatches batches) throws Exception {
        CompletableFuture<List<CompletableFuture<OverrideDocument>>> made = new CompletableFuture<>();
        vertx.getOrCreateContext().runOnContext(ignored -> {
            List<CompletableFuture<OverrideDocument>> futures = new ArrayList<>();
            for (int i = 0; i < MISSES; i++) {
                futures.add(batches.find(Scope.CUSTOMER, "c-" + i));
            }
            made.complete(futures);
        });
        return made.get(5, TimeUnit.SECONDS);
    }

    @Test
    void oneReadThatTimesOutIsOneFailureForEveryMissWaitingOnIt() throws Exception {
        List<CompletableFuture<OverrideDocument>> misses = missInOneTurn(batches((scope, ids) -> Uni.createFrom()
                .nothing()));
        for (CompletableFuture<OverrideDocument> miss : misses) {
            ExecutionException failure = assertThrows(ExecutionException.class,
                    () -> miss.get(5, TimeUnit.SECONDS));
            assertInstanceOf(TimeoutException.class, failure.getCause());
        }
        assertEquals(1, reads.size(), "one read for the misses of one turn");
        assertEquals(MISSES, reads.get(0).size());
        assertEquals(1, failed.size(), "the database is told of one slow read, not of " + MISSES);
        assertEquals(0, answered.get());
    }

    @Test
    void oneReadThatAnswersIsOneAnswerAndGivesEachMissItsDocument() throws Exception {
        OverrideDocument first = OverrideDocument.of(Map.of("sessionPersistence.phase1.autoRestore", true));
        List<CompletableFuture<OverrideDocument>> misses = missInOneTurn(batches((scope, ids) -> Uni.createFrom()
                .item(Map.of("c-0", first))));
        assertSame(first, misses.get(0).get(5, TimeUnit.SECONDS));
        for (CompletableFuture<OverrideDocument> miss : misses.subList(1, MISSES)) {
            assertSame(OverrideDocument.EMPTY, miss.get(5, TimeUnit.SECONDS), "an id the read did not find has none");
        }
        assertEquals(1, reads.size());
        assertEquals(1, answered.get(), "one answer counted");
        assertTrue(failed.isEmpty(), failed.toString());
    }
}
