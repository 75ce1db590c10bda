package io.rollgate.database;

import java.util.concurrent.atomic.AtomicReference;

/**
 * Holds the value read at the highest change revision offered so far. Reads of the database may finish in
 * any order; whichever finishes last, the value held never goes back to an older revision.
 */
public final class Newest<T> {

    private record Entry<T>(T value, long revision) {
    }

    private final AtomicReference<Entry<T>> current;

    /** Starts with {@code initial} at revision -1: any value read from the database replaces it. */
    public Newest(T initial) {
        this.current = new AtomicReference<>(new Entry<>(initial, -1));
    }

    /** Installs {@code value} if its revision is newer than the one held; answers the value held afterwards. */
    public T offer(T value, long revision) {
        Entry<T> offered = new Entry<>(value, revision);
        return current.accumulateAndGet(offered, (held, fresh) -> fresh.revision() > held.revision() ? fresh : held)
                .value();
    }

    public T get() {
        return current.get().value();
    }

    public long revision() {
        return current.get().revision();
    }
}
