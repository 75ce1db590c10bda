package io.rollgate.flags.code;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.rollgate.engine.Catalog;
import io.rollgate.engine.FlagDefinition;
import io.rollgate.engine.Segment;
import io.rollgate.engine.SegmentValidation;
import io.rollgate.errors.InvalidInputException;
import io.rollgate.errors.Violation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What applying a configuration document does to segments: those it creates, updates, deletes (when pruning) and
 * leaves unchanged, by key. A document without segments leaves them all as they are.
 */
@RegisterForReflection
public record SegmentPlan(List<String> created, List<String> updated, List<String> deleted, List<String> unchanged) {

    static final SegmentPlan NONE = new SegmentPlan(List.of(), List.of(), List.of(), List.of());

    boolean changesNothing() {
        return created.isEmpty() && updated.isEmpty() && deleted.isEmpty();
    }

    /** The segments to write, and the ones the target catalog holds afterwards. */
    record Target(List<Segment> created, List<Segment[]> updated, List<Segment> deleted, List<Segment> after,
            SegmentPlan plan) {
    }

    /**
     * Checks every segment of the document (problems reported as {@code segments.<key>.<field>}) and works out the
     * target; with {@code prune}, segments the document does not name are deleted.
     */
    static Target of(Map<String, SegmentDocument> documents, Catalog current, boolean prune,
            List<Violation> violations) {
        if (documents == null) {
            return new Target(List.of(), List.of(), List.of(), List.copyOf(current.segments()), NONE);
        }
        List<Segment> created = new ArrayList<>();
        List<Segment[]> updated = new ArrayList<>();
        List<Segment> deleted = new ArrayList<>();
        List<Segment> after = new ArrayList<>();
        List<String> unchanged = new ArrayList<>();
        new TreeMap<>(documents).forEach((key, document) -> {
            if (document == null) {
                violations.add(new Violation("segments." + key, "must be a segment definition"));
                return;
            }
            Segment before = current.segment(key);
            Segment segment;
            try {
                segment = SegmentValidation.segment(document.draft(key), before == null ? 0 : before.version());
            } catch (InvalidInputException e) {
                e.violations().forEach(v -> violations.add(new Violation("segments." + key + "." + v.field(),
                        v.reason())));
                return;
            }
            after.add(segment);
            if (before == null) {
                created.add(segment);
            } else if (before.equals(segment)) {
                unchanged.add(key);
            } else {
                updated.add(new Segment[]{ before, segment });
            }
        });
        for (Segment segment : current.segments()) {
            if (documents.containsKey(segment.key())) {
                continue;
            }
            if (prune) {
                deleted.add(segment);
            } else {
                after.add(segment);
            }
        }
        return new Target(created, updated, deleted, after, new SegmentPlan(
                created.stream().map(Segment::key).toList(), updated.stream().map(pair -> pair[0].key()).toList(),
                deleted.stream().map(Segment::key).toList(), unchanged));
    }

    /** A flag the document keeps without naming it may not lose a segment its rules name. */
    static void stillNamed(List<FlagDefinition> kept, List<Segment> deleted, List<Violation> violations) {
        for (FlagDefinition flag : kept) {
            deleted.stream().filter(gone -> flag.namesSegment(gone.key())).forEach(gone -> violations.add(
                    new Violation("segments", flag.key() + " names " + gone.key() + ", which pruning would delete")));
        }
    }
}
