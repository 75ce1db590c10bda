package io.rollgate.flags.code;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;
import java.util.Map;

/**
 * What applying a configuration document does (or, for a dry run, would do): the flags it creates, updates
 * (with each changed field before and after), deletes and leaves unchanged, the flags pruning spared, and
 * the catalog version afterwards.
 */
@RegisterForReflection
public record ConfigurationPlan(List<String> created, List<Update> updated, List<String> deleted,
        List<String> unchanged, List<String> protectedFromPruning, SegmentPlan segments, boolean applied,
        long version) {

    /** One updated flag and its changed fields: field name to {before, after}. */
    @RegisterForReflection
    public record Update(String name, Map<String, Map<String, Object>> changes) {
    }

    boolean changesNothing() {
        return created.isEmpty() && updated.isEmpty() && deleted.isEmpty() && segments.changesNothing();
    }

    ConfigurationPlan applied(long newVersion) {
        return new ConfigurationPlan(created, updated, deleted, unchanged, protectedFromPruning, segments, true,
                newVersion);
    }
}
