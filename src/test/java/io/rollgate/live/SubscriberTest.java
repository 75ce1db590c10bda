package io.rollgate.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A stream's writes: on its connection's event loop, in the order they were made, and none after one throws. */
class SubscriberTest {

    private final Vertx vertx = Vertx.vertx();
    private final RecordingWire wire = new RecordingWire();
    private final StreamCapacity capacity = new StreamCapacity(new LiveConfig() {
        @Override
        public int maxStreams() {
            return 10;
        }

        @Override
        public Duration heartbeat() {
            return Duration.ofSeconds(25);
        }

        @Override
        public int maxPendingEvents() {
            return 16;
        }
    }, vertx, Optional.empty());

    @AfterEach
    void close() {
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    private static Frame event(String id) {
        return Frame.event("config", id, "{}");
    }

    /** A subscriber opened on an event loop, as a stream's request is. */
    private Subscriber openOnALoop(Context loop) throws Exception {
        CompletableFuture<Subscriber> opened = new CompletableFuture<>();
        loop.runOnContext(ignored -> {
            assertTrue(capacity.take());
            opened.complete(new Subscriber(wire, new StreamMetrics(new SimpleMeterRegistry()).of("widget"),
                    capacity, 16, ignoredSubscriber -> {
                    }, null));
        });
        return opened.get(5, TimeUnit.SECONDS);
    }

    @Test
    void aWriteMadeOnTheLoopWaitsBehindOneHandedToTheLoopBeforeIt() throws Exception {
        Context loop = vertx.getOrCreateContext();
        Subscriber subscriber = openOnALoop(loop);
        CountDownLatch handedOver = new CountDownLatch(1);
        CountDownLatch written = new CountDownLatch(2);
        wire.written = written;
        // the loop is busy (a fan-out's chunk) while a render elsewhere sends a new stream its configuration
        loop.runOnContext(ignored -> {
            try {
                assertTrue(handedOver.await(5, TimeUnit.SECONDS));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            subscriber.send(event("after-the-change"));
        });
        subscriber.send(event("before-the-change"));
        handedOver.countDown();
        assertTrue(written.await(5, TimeUnit.SECONDS));
        assertEquals(List.of("before-the-change", "after-the-change"), wire.ids);
        assertTrue(wire.threads.stream().allMatch(thread -> thread.startsWith("vert.x-eventloop")), wire.threads
                .toString());
    }

    @Test
    void aWireThatThrowsIsClosedAndWrittenToNoMore() throws Exception {
        Context loop = vertx.getOrCreateContext();
        Subscriber subscriber = openOnALoop(loop);
        wire.failure.set(new IllegalStateException("Response head already sent"));
        CompletableFuture<List<String>> after = new CompletableFuture<>();
        loop.runOnContext(ignored -> {
            subscriber.send(event("first"));
            wire.failure.set(null); // the wire could write again: a closed stream must not try
            subscriber.send(event("second"));
            after.complete(List.copyOf(wire.ids));
        });
        assertEquals(List.of(), after.get(5, TimeUnit.SECONDS));
        assertTrue(wire.closed);
    }

    /** Records the ids of the frames written to it and on which thread; throws when told to. */
    private static final class RecordingWire implements Wire {
        final List<String> ids = new CopyOnWriteArrayList<>();
        final List<String> threads = new CopyOnWriteArrayList<>();
        final AtomicReference<RuntimeException> failure = new AtomicReference<>();
        volatile CountDownLatch written = new CountDownLatch(0);
        volatile boolean closed;

        @Override
        public boolean isClosed() {
            return closed;
        }

        @Override
        public Future<Void> write(Frame event) {
            RuntimeException thrown = failure.get();
            if (thrown != null) {
                throw thrown;
            }
            ids.add(event.id());
            threads.add(Thread.currentThread().getName());
            written.countDown();
            return Future.succeededFuture();
        }

        @Override
        public void close() {
            closed = true;
        }
    }
}
