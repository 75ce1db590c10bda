package io.rollgate.overrides;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;
import java.util.stream.Stream;

/** What the override cache holds and how well it serves (getCacheStats). */
@RegisterForReflection
public record CacheStats(int size, List<String> keys, boolean keysTruncated, long hits, long misses,
        double hitRate, int lastKnownGoodSize) {

    /** The stats of a cache holding {@code keys} (and {@code lastKnownGood}), listing at most {@code maxKeys}. */
    static CacheStats of(Stream<String> keys, Stream<String> lastKnownGood, long hits, long misses, int maxKeys) {
        List<String> held = keys.distinct().sorted().toList();
        long total = hits + misses;
        return new CacheStats(held.size(), held.size() > maxKeys ? held.subList(0, maxKeys) : held,
                held.size() > maxKeys, hits, misses, total == 0 ? 0.0 : (double) hits / total,
                (int) lastKnownGood.distinct().count());
    }
}
