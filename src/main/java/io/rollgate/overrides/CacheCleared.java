package io.rollgate.overrides;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** What a cache clear did: which documents, on which replicas, at which change revision. */
@RegisterForReflection
public record CacheCleared(String cleared, String replicas, long revision, String detail) {
}
