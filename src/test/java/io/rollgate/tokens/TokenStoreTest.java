package io.rollgate.tokens;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.smallrye.mutiny.Uni;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class TokenStoreTest {

    /** Token reads the test finishes by hand, in whatever order it chooses. */
    static final class HeldReads extends TokenRepository {
        final Deque<CompletableFuture<List<ManagedToken>>> pending = new ArrayDeque<>();

        HeldReads() {
            super(null);
        }

        @Override
        public Uni<List<ManagedToken>> loadAll() {
            CompletableFuture<List<ManagedToken>> read = new CompletableFuture<>();
            pending.add(read);
            return Uni.createFrom().completionStage(read);
        }
    }

    /** A live admin token of its own. */
    private static ManagedToken token() {
        return new ManagedToken(UUID.randomUUID(), "ci", "admin", null, new byte[16], new byte[32], "alice",
                Instant.EPOCH, null, null);
    }

    @Test
    void aReadThatStartedBeforeARevocationCannotBringTheTokenBackWhenItFinishesLast() {
        HeldReads reads = new HeldReads();
        TokenStore store = new TokenStore(reads);
        ManagedToken live = token();

        // two changes heard close together: the first read began before the revocation committed, the second after
        CompletableFuture<?> first = store.reload().subscribeAsCompletionStage();
        CompletableFuture<?> second = store.reload().subscribeAsCompletionStage();
        CompletableFuture<List<ManagedToken>> before = reads.pending.removeFirst();
        CompletableFuture<List<ManagedToken>> after = reads.pending.removeFirst();

        after.complete(List.of());
        second.join();
        assertNull(store.find(live.id()).await().indefinitely(), "revoked: the newer read says so");

        before.complete(List.of(live));
        first.join();
        assertNull(store.find(live.id()).await().indefinitely(), "the older read, finishing last, is dropped");
    }

    @Test
    void readsFinishingTogetherOnTwoThreadsLeaveTheNewerTokens() throws Exception {
        // the window is between installing a map and answering from it: only real concurrency opens it, so many rounds
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 20_000; round++) {
                HeldReads reads = new HeldReads();
                TokenStore store = new TokenStore(reads);
                ManagedToken token = token();
                CompletableFuture<?> olderReload = store.reload().subscribeAsCompletionStage();
                CompletableFuture<?> newerReload = store.reload().subscribeAsCompletionStage();
                CompletableFuture<List<ManagedToken>> older = reads.pending.removeFirst();
                CompletableFuture<List<ManagedToken>> newer = reads.pending.removeFirst();
                CyclicBarrier together = new CyclicBarrier(2);
                Future<?> a = threads.submit(() -> finish(together, newer, List.of()));
                Future<?> b = threads.submit(() -> finish(together, older, List.of(token)));
                a.get();
                b.get();
                olderReload.get();
                newerReload.get();
                assertNull(store.find(token.id()).await().indefinitely(), "round " + round + ": the older read won");
            }
        } finally {
            threads.shutdownNow();
        }
    }

    private static Void finish(CyclicBarrier together, CompletableFuture<List<ManagedToken>> read,
            List<ManagedToken> tokens) throws Exception {
        together.await();
        read.complete(tokens);
        return null;
    }

    @Test
    void aNewerReadReplacesAnOlderOne() {
        HeldReads reads = new HeldReads();
        TokenStore store = new TokenStore(reads);
        ManagedToken token = token();
        CompletableFuture<?> first = store.reload().subscribeAsCompletionStage();
        reads.pending.removeFirst().complete(List.of());
        first.join();
        CompletableFuture<?> second = store.reload().subscribeAsCompletionStage();
        reads.pending.removeFirst().complete(List.of(token));
        second.join();
        assertNotNull(store.find(token.id()).await().indefinitely(), "a token created since is found");
    }
}
