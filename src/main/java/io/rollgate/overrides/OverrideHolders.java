package io.rollgate.overrides;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Instant;
import java.util.List;

/** One page of the customers or organizations that hold an override document, most recently changed first. */
@RegisterForReflection
public record OverrideHolders(String scope, List<Holder> items, int page, int size, long total) {

    /** Who holds a document, when it last changed, and how many flags it sets. */
    @RegisterForReflection
    public record Holder(String id, Instant updatedAt, long flags) {
    }
}
