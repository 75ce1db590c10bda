package io.rollgate.live;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.atomic.AtomicInteger;

/** The streams this replica holds, of every kind, against rollgate.live.max-streams. */
@ApplicationScoped
public class StreamCapacity {

    private final AtomicInteger open = new AtomicInteger();
    private final int max;

    public StreamCapacity(LiveConfig config) {
        this.max = config.maxStreams();
    }

    /** Takes a place for a new stream; false when the replica holds its maximum (503, the client polls). */
    boolean take() {
        while (true) {
            int now = open.get();
            if (now >= max) {
                return false;
            }
            if (open.compareAndSet(now, now + 1)) {
                return true;
            }
        }
    }

    void release() {
        open.decrementAndGet();
    }
}
