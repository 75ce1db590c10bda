package io.rollgate.evaluation;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.LongConsumer;

/**
 * How much of their configured memory the kept answers use. They earn it by the page loads they serve: with ten
 * thousand customers nearly every page load is a kept answer, with a million asked for evenly about one in fifty
 * is, so their 16 MiB saved a fiftieth of the renders and made most of the old generation's churn. So the bound
 * in force starts at a {@link #FLOOR}th and grows as the answers kept prove their worth: while they replace one
 * another (the bound is full), it doubles when the whole bound, judged from the share served at the bound in force,
 * would serve at least twice {@link #PAYS} of page loads, and halves, down to where it started, when it would serve
 * under that share. The warm-up, which asks its customers again and again, grows it; a million customers' load
 * then fills it, and the full collection that follows its shrinking sizes the old generation for what is left.
 */
final class KeptBound {

    /** Lookups between two decisions: enough to tell a tenth from a fifth, few enough to grow within seconds. */
    static final int WINDOW = 1024;
    /** The share of page loads the whole configured bound must be expected to serve to be held. */
    static final double PAYS = 0.10;
    /** The least share of the configured bound in force, one in this many, and the first. */
    static final int FLOOR = 16;

    private final long configured;
    private final BooleanSupplier full;
    private final LongConsumer resize;
    private final AtomicInteger lookups = new AtomicInteger();
    private final AtomicInteger hits = new AtomicInteger();
    private volatile long current;

    /**
     * {@code configured}: the bound set; {@code full}: whether keeping one more answer now replaces one;
     * {@code resize}: sets the bound in force.
     */
    KeptBound(long configured, BooleanSupplier full, LongConsumer resize) {
        this.configured = configured;
        this.full = full;
        this.resize = resize;
        this.current = configured / FLOOR;
        resize.accept(current);
    }

    /** A page load looked for its kept answer, and found one ({@code kept}) or not. */
    void looked(boolean kept) {
        if (kept) {
            hits.incrementAndGet();
        }
        if (lookups.incrementAndGet() >= WINDOW) {
            decide();
        }
    }

    /** The bound in force, in bytes. */
    long current() {
        return current;
    }

    // a count raced by a concurrent page load falls into the next window or is lost: the decision needs no more
    private synchronized void decide() {
        if (lookups.get() < WINDOW) {
            return; // another page load decided this window
        }
        double served = (double) hits.getAndSet(0) / lookups.getAndSet(0);
        double wholeBoundServes = served * configured / current;
        long next = current;
        if (wholeBoundServes < PAYS && current > configured / FLOOR && full.getAsBoolean()) {
            next = Math.max(configured / FLOOR, current / 2);
        } else if (wholeBoundServes >= 2 * PAYS && current < configured && full.getAsBoolean()) {
            next = Math.min(configured, current * 2);
        }
        if (next != current) {
            current = next;
            resize.accept(next);
        }
    }
}
