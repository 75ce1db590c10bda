package io.rollgate.evaluation;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Which keys were asked for recently, approximately: a bit per hash, forgotten all at once after as many keys as a
 * quarter of its bits. An answer is kept only when its key was seen before, so with more customers than the kept
 * answers can hold, the many asked for once do not push out, one write and one eviction each, the few asked for
 * again. A false "seen" (two keys on one bit) only keeps an answer a first ask would not have.
 */
final class SeenOnce {

    private final AtomicLongArray bits;
    private final int mask;
    private final int forgetAfter;
    private final AtomicInteger marked = new AtomicInteger();

    /** {@code keys}: how many distinct keys it remembers before it forgets them all; rounded up to a power of two. */
    SeenOnce(int keys) {
        int bitCount = Integer.highestOneBit(Math.max(64, keys) * 4 - 1) << 1;
        this.bits = new AtomicLongArray(bitCount / 64);
        this.mask = bitCount - 1;
        this.forgetAfter = bitCount / 4;
    }

    /** True when {@code key} was seen since the last forgetting; marks it seen otherwise. */
    boolean seenBefore(Object key) {
        int hash = key.hashCode() * 0x9E3779B9; // spreads the low bits strings share
        int bit = (hash ^ hash >>> 16) & mask;
        int word = bit >>> 6;
        long flag = 1L << bit;
        long current = bits.get(word);
        if ((current & flag) != 0) {
            return true;
        }
        // concurrent marks of one word may lose one of them: that key is then kept a request later
        bits.set(word, current | flag);
        if (marked.incrementAndGet() >= forgetAfter) {
            marked.set(0);
            for (int i = 0; i < bits.length(); i++) {
                bits.set(i, 0);
            }
        }
        return false;
    }
}
