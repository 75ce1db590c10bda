package io.rollgate.overrides;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * Keeps, per key, the newest value that was read or written, where "newest" is the order in which reads
 * started and writes committed, not the order in which they finished. A read that began before a write
 * committed may finish after it; without the stamps its older document would replace the written one, and
 * an outage right then would serve a flag the operator had just changed as if the change never happened.
 *
 * <p>Storage is the caller's (a bounded cache): this class only decides which value may replace which.
 */
public final class LastKnownGood<V> {

    /** A value and the moment, in this instance's sequence, its read started or its write committed. */
    public record Stamped<V>(long stamp, V value) {
    }

    private static final int STRIPES = 64;

    private final AtomicLong sequence = new AtomicLong();
    private final Object[] stripes = new Object[STRIPES];
    private final Function<String, Stamped<V>> get;
    private final BiConsumer<String, Stamped<V>> put;

    public LastKnownGood(Function<String, Stamped<V>> get, BiConsumer<String, Stamped<V>> put) {
        this.get = get;
        this.put = put;
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = new Object();
        }
    }

    /** Taken when a read starts, before it queries, and when a write has committed. */
    public long stamp() {
        return sequence.incrementAndGet();
    }

    /** Stores the value unless the key already holds one stamped later; true when it was stored. */
    public boolean offer(String key, long stamp, V value) {
        synchronized (stripes[Math.floorMod(key.hashCode(), STRIPES)]) {
            Stamped<V> current = get.apply(key);
            if (current != null && current.stamp() > stamp) {
                return false;
            }
            put.accept(key, new Stamped<>(stamp, value));
            return true;
        }
    }

    /** The newest value known for the key, or null. */
    public V value(String key) {
        Stamped<V> current = get.apply(key);
        return current == null ? null : current.value();
    }
}
