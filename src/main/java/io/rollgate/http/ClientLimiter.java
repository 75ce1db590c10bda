package io.rollgate.http;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Duration;

/**
 * A token bucket per client, in a map bounded by size and idle time: a flood of distinct client
 * addresses evicts the idlest buckets instead of growing memory, and Caffeine does that upkeep off the
 * caller's thread (the event loop only looks a bucket up).
 * <p>
 * Caffeine loads a class generated for each builder configuration by name; a native executable holds only the
 * classes registered for it, and quarkus-cache registers the ones its own caches use. These two serve
 * {@code maximumSize} with {@code expireAfterAccess}: the cache ({@code SSMSA}) and its entries ({@code PSAMS}).
 */
@RegisterForReflection(classNames = { "com.github.benmanes.caffeine.cache.SSMSA",
        "com.github.benmanes.caffeine.cache.PSAMS" })
public final class ClientLimiter {

    private final Cache<String, Bucket> buckets;
    private final double rate;
    private final double burst;

    public ClientLimiter(double rate, double burst, long maxClients, Duration idle) {
        this.rate = rate;
        this.burst = burst;
        this.buckets = Caffeine.newBuilder().maximumSize(maxClients).expireAfterAccess(idle).build();
    }

    /** Takes one request from the client's bucket; false when it is empty. */
    public boolean take(String client) {
        return buckets.get(client, key -> new Bucket(burst)).take(rate, burst);
    }

    /** How many clients are tracked now (after pending evictions). */
    long clients() {
        buckets.cleanUp();
        return buckets.estimatedSize();
    }

    /** A token bucket: refills at the sustained rate up to the burst size. */
    private static final class Bucket {
        private double tokens;
        private long last = System.nanoTime();

        Bucket(double burst) {
            this.tokens = burst;
        }

        synchronized boolean take(double rate, double burst) {
            long now = System.nanoTime();
            tokens = Math.min(burst, tokens + (now - last) / 1e9 * rate);
            last = now;
            if (tokens >= 1) {
                tokens -= 1;
                return true;
            }
            return false;
        }
    }
}
