package io.rollgate.overrides;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;

/** What the override cache holds and how well it serves (getCacheStats). */
@RegisterForReflection
public record CacheStats(int size, List<String> keys, boolean keysTruncated, long hits, long misses,
        double hitRate, int lastKnownGoodSize) {
}
