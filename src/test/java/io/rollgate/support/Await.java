package io.rollgate.support;

import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;

/** Waiting for something a test cannot be told about: the condition is checked until it holds or time is up. */
public final class Await {

    private Await() {
    }

    /** Waits until {@code condition} holds; answers the milliseconds it took, fails after {@code limit}. */
    public static long until(Duration limit, BooleanSupplier condition, String what) throws InterruptedException {
        return until(limit, Duration.ofMillis(5), condition, what);
    }

    /** As {@link #until(Duration, BooleanSupplier, String)}, checking every {@code every} (a condition that asks the API, say). */
    public static long until(Duration limit, Duration every, BooleanSupplier condition, String what)
            throws InterruptedException {
        Instant start = Instant.now();
        while (!condition.getAsBoolean()) {
            if (Duration.between(start, Instant.now()).compareTo(limit) > 0) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(every.toMillis());
        }
        return Duration.between(start, Instant.now()).toMillis();
    }
}
