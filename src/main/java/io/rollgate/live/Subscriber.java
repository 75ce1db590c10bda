package io.rollgate.live;

import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.SseEventSink;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One open stream: the client's sink and the events written to it but not yet on the wire. A reader that lets
 * more than the allowed number pile up is closed rather than buffered for: its client reconnects, or polls.
 */
final class Subscriber {

    private final SseEventSink sink;
    private final AtomicInteger pending = new AtomicInteger();
    private final AtomicBoolean closed = new AtomicBoolean();

    Subscriber(SseEventSink sink) {
        this.sink = sink;
    }

    /** The outcome of offering an event. */
    enum Sent {
        QUEUED, SLOW, GONE
    }

    /** Writes {@code event} unless the stream is gone or its reader too far behind; {@code onFailure} if it fails. */
    Sent send(OutboundSseEvent event, int maxPending, Runnable onWritten, Runnable onFailure) {
        if (closed.get() || sink.isClosed()) {
            return Sent.GONE;
        }
        if (pending.incrementAndGet() > maxPending) {
            pending.decrementAndGet();
            return Sent.SLOW;
        }
        sink.send(event).whenComplete((ignored, failure) -> {
            pending.decrementAndGet();
            if (failure != null) {
                onFailure.run();
            } else {
                onWritten.run();
            }
        });
        return Sent.QUEUED;
    }

    /** Closes the stream once; answers whether this call closed it. */
    boolean close() {
        if (!closed.compareAndSet(false, true)) {
            return false;
        }
        if (!sink.isClosed()) {
            sink.close();
        }
        return true;
    }
}
