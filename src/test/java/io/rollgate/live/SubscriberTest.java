package io.rollgate.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.SseEventSink;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.jboss.resteasy.reactive.server.jaxrs.SseImpl;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A stream's writes: on its connection's event loop, in the order they were made, and none after one throws. */
class SubscriberTest {

    private final Vertx vertx = Vertx.vertx();
    private final RecordingSink sink = new RecordingSink();
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

    private static OutboundSseEvent event(String id) {
        return new SseImpl().newEventBuilder().name("config").id(id).data("{}").build();
    }

    /** A subscriber opened on an event loop, as a stream's request is. */
    private Subscriber openOnALoop(Context loop) throws Exception {
        CompletableFuture<Subscriber> opened = new CompletableFuture<>();
        loop.runOnContext(ignored -> {
            assertTrue(capacity.take());
            opened.complete(new Subscriber(sink, new StreamMetrics(new SimpleMeterRegistry()).of("widget"),
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
        sink.written = written;
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
        assertEquals(List.of("before-the-change", "after-the-change"), sink.ids);
        assertTrue(sink.threads.stream().allMatch(thread -> thread.startsWith("vert.x-eventloop")), sink.threads
                .toString());
    }

    @Test
    void aSinkThatThrowsIsClosedAndWrittenToNoMore() throws Exception {
        Context loop = vertx.getOrCreateContext();
        Subscriber subscriber = openOnALoop(loop);
        sink.failure.set(new IllegalStateException("Response head already sent"));
        CompletableFuture<List<String>> after = new CompletableFuture<>();
        loop.runOnContext(ignored -> {
            subscriber.send(event("first"));
            sink.failure.set(null); // the sink could write again: a closed stream must not try
            subscriber.send(event("second"));
            after.complete(List.copyOf(sink.ids));
        });
        assertEquals(List.of(), after.get(5, TimeUnit.SECONDS));
        assertTrue(sink.closed);
    }

    /** Records what is written to it and on which thread; throws when told to. */
    private static final class RecordingSink implements SseEventSink {
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
        public CompletionStage<?> send(OutboundSseEvent event) {
            RuntimeException thrown = failure.get();
            if (thrown != null) {
                throw thrown;
            }
            ids.add(event.getId());
            threads.add(Thread.currentThread().getName());
            written.countDown();
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public void close() {
            closed = true;
        }
    }
}
