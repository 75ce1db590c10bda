package io.rollgate.live;

import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The streams this replica holds, of every kind, against rollgate.live.max-streams; and their end in a rolling
 * update. A stream is a request that never finishes by itself, so the graceful shutdown would wait its whole
 * timeout for it: when the shutdown delay begins, no new stream is taken, and the open ones are closed just before
 * the delay ends, by which time the Service no longer routes here and their clients reconnect elsewhere.
 */
@ApplicationScoped
public class StreamCapacity {

    private final AtomicInteger open = new AtomicInteger();
    private final int max;
    private final Vertx vertx;
    private final Duration shutdownDelay;
    private final List<Runnable> closers = new CopyOnWriteArrayList<>();
    private volatile boolean draining;

    public StreamCapacity(LiveConfig config, Vertx vertx,
            @ConfigProperty(name = "quarkus.shutdown.delay") Optional<Duration> shutdownDelay) {
        this.max = config.maxStreams();
        this.vertx = vertx;
        this.shutdownDelay = shutdownDelay.orElse(Duration.ZERO);
    }

    /** Takes a place for a new stream; false at the maximum or while shutting down (503, the client polls). */
    boolean take() {
        while (!draining) {
            int now = open.get();
            if (now >= max) {
                return false;
            }
            if (open.compareAndSet(now, now + 1)) {
                return true;
            }
        }
        return false;
    }

    void release() {
        open.decrementAndGet();
    }

    /** Registers how a kind of stream closes all of its streams when the replica shuts down. */
    void onDrain(Runnable closeAll) {
        closers.add(closeAll);
    }

    void shutdownDelayBegan(@Observes ShutdownDelayInitiatedEvent event) {
        draining = true;
        long millis = shutdownDelay.toMillis() - 500;
        if (millis <= 0) {
            closeAll();
        } else {
            vertx.setTimer(millis, ignored -> closeAll());
        }
    }

    void closeAll() {
        closers.forEach(Runnable::run);
    }
}
