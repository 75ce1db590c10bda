package io.rollgate.database;

import java.util.concurrent.atomic.AtomicReference;

/**
 * Holds the value read at the highest change revision offered so far. Reads of the database may finish in
 * any order; whichever finishes last, the value held never goes back to an older revision. When the database's
 * revisions themselves went back ({@link #reset}), a new epoch begins: a value read in it replaces the one held
 * whatever their revisions, and a read that started before the reset can no longer install anything.
 */
public final class Newest<T> {

    private record Entry<T>(T value, long epoch, long revision) {
    }

    private final AtomicReference<Entry<T>> current;

    /** Starts with {@code initial} at revision -1: any value read from the database replaces it. */
    public Newest(T initial) {
        this.current = new AtomicReference<>(new Entry<>(initial, 0, -1));
    }

    /** Installs {@code value} if its revision is newer than the one held; answers the value held afterwards. */
    public T offer(T value, long revision) {
        return offer(value, epoch(), revision);
    }

    /**
     * Installs {@code value}, read in {@code epoch} (taken from {@link #epoch()} before the read began), if it is
     * newer than the one held: a later epoch, or the same epoch and a higher revision.
     */
    public T offer(T value, long epoch, long revision) {
        Entry<T> offered = new Entry<>(value, epoch, revision);
        return current.accumulateAndGet(offered, (held, fresh) -> fresh.epoch() > held.epoch()
                || (fresh.epoch() == held.epoch() && fresh.revision() > held.revision()) ? fresh : held).value();
    }

    /** The epoch a read that starts now belongs to. */
    public long epoch() {
        return current.get().epoch();
    }

    /** The database's revisions went back: the next value read replaces the one held, whatever its revision. */
    public void reset() {
        current.updateAndGet(held -> new Entry<>(held.value(), held.epoch() + 1, -1));
    }

    public T get() {
        return current.get().value();
    }

    public long revision() {
        return current.get().revision();
    }
}
