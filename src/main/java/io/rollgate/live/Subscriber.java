package io.rollgate.live;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * One open stream: where its frames go, and the events written to it but not yet on the wire. A reader that lets
 * more than the allowed number pile up is closed rather than buffered for: its client reconnects, or polls. A
 * stream closes once, whatever closes it (a failed write, a slow reader, the client gone, shutdown), and then
 * leaves its owner, the counts and the replica's capacity.
 * <p>
 * Every write goes out on the event loop of the stream's connection. A new stream's first configuration (rendered
 * wherever its documents were read) and a change's fan-out or a heartbeat (on another loop) could otherwise both
 * make the first write, which sends the response head: the second threw "Response head already sent" and left a
 * stream that never sent again. Writes keep their order: one made on the loop while others wait to reach it waits
 * behind them, or a new stream could get a change and then the configuration from before it.
 */
final class Subscriber {

    private final Wire wire;
    private final StreamMetrics.Meters meters;
    private final StreamCapacity capacity;
    private final int maxPending;
    private final Consumer<Subscriber> leave;
    private final AtomicInteger pending = new AtomicInteger();
    private final AtomicBoolean closed = new AtomicBoolean();
    /** The id of the last configuration sent, or the one the client said it has when it resumed. */
    private final AtomicReference<String> lastId;
    /**
     * The request's context, whose event loop is the connection's, and that loop's thread: the stream endpoints run
     * on it, so a stream opens there (opened elsewhere, every write would go through the context).
     */
    private final Context context;
    private final Thread loop;
    /** Writes handed to the loop and not yet made: while there are any, a write joins them, so none overtakes. */
    private final AtomicInteger queued = new AtomicInteger();

    /** A stream that has taken its place in {@code capacity}; {@code leave} removes it from its owner. */
    Subscriber(Wire wire, StreamMetrics.Meters meters, StreamCapacity capacity, int maxPending,
            Consumer<Subscriber> leave, String lastEventId) {
        this.lastId = new AtomicReference<>(lastEventId);
        this.wire = wire;
        this.meters = meters;
        this.capacity = capacity;
        this.maxPending = maxPending;
        this.leave = leave;
        this.context = Vertx.currentContext();
        this.loop = Context.isOnEventLoopThread() ? Thread.currentThread() : null;
        meters.open().incrementAndGet();
        wire.onClosed(this::close);
    }

    /**
     * Writes a configuration unless it is the one this stream has: the render for a new stream and a change's
     * render for its group can both reach it, in either order.
     */
    void sendOnce(Frame event) {
        if (!event.id().equals(lastId.getAndSet(event.id()))) {
            send(event);
        }
    }

    /** Forgets what this stream was sent, so the next configuration is sent even if it is the same one. */
    void forgetSent() {
        lastId.set(null);
    }

    /** Writes {@code event}; closes the stream instead when it is gone, or when its reader is too far behind. */
    void send(Frame event) {
        if (context == null || (Thread.currentThread() == loop && queued.get() == 0)) {
            write(event);
            return;
        }
        queued.incrementAndGet();
        context.runOnContext(ignored -> {
            try {
                write(event);
            } finally {
                queued.decrementAndGet();
            }
        });
    }

    private void write(Frame event) {
        if (closed.get() || wire.isClosed()) {
            close();
            return;
        }
        if (pending.incrementAndGet() > maxPending) {
            pending.decrementAndGet();
            meters.droppedSlow().increment();
            close();
            return;
        }
        Future<Void> sent;
        try {
            sent = wire.write(event);
        } catch (RuntimeException e) {
            // a stream that cannot be written to is closed, not kept: its client reconnects and resumes from what
            // it has
            pending.decrementAndGet();
            close();
            return;
        }
        sent.onComplete(result -> {
            pending.decrementAndGet();
            if (result.failed()) {
                close();
            } else if (event.event()) {
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
        if (!wire.isClosed()) {
            wire.close();
        }
    }
}
