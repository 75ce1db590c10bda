package io.rollgate.live;

import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.SseEventSink;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * One open stream: the client's sink and the events written to it but not yet on the wire. A reader that lets
 * more than the allowed number pile up is closed rather than buffered for: its client reconnects, or polls. A
 * stream closes once, whatever closes it (a failed write, a slow reader, the client gone, shutdown), and then
 * leaves its owner, the counts and the replica's capacity.
 */
final class Subscriber {

    private final SseEventSink sink;
    private final StreamMetrics.Meters meters;
    private final StreamCapacity capacity;
    private final int maxPending;
    private final Consumer<Subscriber> leave;
    private final AtomicInteger pending = new AtomicInteger();
    private final AtomicBoolean closed = new AtomicBoolean();
    /** The id of the last configuration sent, or the one the client said it has when it resumed. */
    private final AtomicReference<String> lastId;

    /** A stream that has taken its place in {@code capacity}; {@code leave} removes it from its owner. */
    Subscriber(SseEventSink sink, StreamMetrics.Meters meters, StreamCapacity capacity, int maxPending,
            Consumer<Subscriber> leave, String lastEventId) {
        this.lastId = new AtomicReference<>(lastEventId);
        this.sink = sink;
        this.meters = meters;
        this.capacity = capacity;
        this.maxPending = maxPending;
        this.leave = leave;
        meters.open().incrementAndGet();
    }

    /**
     * Writes a configuration unless it is the one this stream has: the render for a new stream and a change's
     * render for its group can both reach it, in either order.
     */
    void sendOnce(String id, OutboundSseEvent event) {
        if (!id.equals(lastId.getAndSet(id))) {
            send(event);
        }
    }

    /** Forgets what this stream was sent, so the next configuration is sent even if it is the same one. */
    void forgetSent() {
        lastId.set(null);
    }

    /** Writes {@code event}; closes the stream instead when it is gone, or when its reader is too far behind. */
    void send(OutboundSseEvent event) {
        if (closed.get() || sink.isClosed()) {
            close();
            return;
        }
        if (pending.incrementAndGet() > maxPending) {
            pending.decrementAndGet();
            meters.droppedSlow().increment();
            close();
            return;
        }
        sink.send(event).whenComplete((ignored, failure) -> {
            pending.decrementAndGet();
            if (failure != null) {
                close();
            } else if (event.getName() != null) {
                meters.sent().increment(); // comments (heartbeats) are not events
            }
        });
    }

    void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        leave.accept(this);
        meters.open().decrementAndGet();
        capacity.release();
        if (!sink.isClosed()) {
            sink.close();
        }
    }
}
