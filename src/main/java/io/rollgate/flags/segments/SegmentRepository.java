package io.rollgate.flags.segments;

import com.fasterxml.jackson.core.type.TypeReference;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import io.rollgate.catalog.Rules;
import io.rollgate.database.JsonColumns;
import io.rollgate.engine.Segment;
import io.rollgate.engine.SegmentValidation;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Segments as operators change them, in the current transaction. The evaluation does not read through here: it reads
 * every segment with the flags into its snapshot (catalog.FlagCatalogRepository).
 */
@ApplicationScoped
public class SegmentRepository implements PanacheRepositoryBase<SegmentRow, String> {

    private static final TypeReference<List<Map<String, Object>>> RULES = new TypeReference<>() {
    };

    private final JsonColumns json;
    private final Clock clock;

    public SegmentRepository(JsonColumns json, Clock clock) {
        this.json = json;
        this.clock = clock;
    }

    /** Every segment as the transaction sees it. */
    public Uni<List<Segment>> segments() {
        return listAll(Sort.by("key")).map(rows -> rows.stream().map(this::toSegment).toList());
    }

    /** A new segment; false when the key is taken. */
    public Uni<Boolean> insert(Segment segment) {
        return findById(segment.key()).chain(taken -> {
            if (taken != null) {
                return Uni.createFrom().item(false);
            }
            SegmentRow row = new SegmentRow();
            row.key = segment.key();
            row.createdAt = clock.instant();
            apply(segment, row);
            return persist(row).replaceWith(true);
        });
    }

    /** Replaces a segment if it still has {@code expectedVersion}; false otherwise. */
    public Uni<Boolean> update(Segment segment, long expectedVersion) {
        return current(segment.key(), expectedVersion).map(row -> {
            if (row == null) {
                return false;
            }
            apply(segment, row);
            return true;
        });
    }

    /** Deletes a segment if it still has {@code expectedVersion}; false otherwise. */
    public Uni<Boolean> delete(String key, long expectedVersion) {
        return current(key, expectedVersion)
                .chain(row -> row == null ? Uni.createFrom().item(false) : delete(row).replaceWith(true));
    }

    /**
     * The flags whose stored rules name the segment, as the transaction sees them. Native SQL: the rules are a JSONB
     * document, and the question is one containment test per flag.
     */
    public Uni<List<String>> flagsNaming(String key) {
        return getSession().chain(session -> session.createNativeQuery("""
                SELECT flag_key FROM feature_flags f
                WHERE EXISTS (SELECT 1 FROM jsonb_array_elements(f.rules) r
                              WHERE r ->> 'type' = 'segment'
                                AND (r -> 'value' = to_jsonb(CAST(?1 AS text))
                                     OR r -> 'value' @> jsonb_build_array(CAST(?1 AS text))))
                ORDER BY flag_key""", String.class)
                .setParameter(1, key)
                .getResultList());
    }

    /** The segment's row if it still has {@code expectedVersion}; null otherwise. */
    private Uni<SegmentRow> current(String key, long expectedVersion) {
        return findById(key).map(row -> row != null && row.version == expectedVersion ? row : null);
    }

    private void apply(Segment segment, SegmentRow row) {
        row.description = segment.description();
        row.included = segment.included().stream().sorted().toArray(String[]::new);
        row.excluded = segment.excluded().stream().sorted().toArray(String[]::new);
        row.rules = json.write(Rules.toDtos(segment.rules()));
        row.updatedAt = clock.instant();
    }

    private Segment toSegment(SegmentRow row) {
        return SegmentValidation.stored(new SegmentValidation.SegmentDraft(row.key, row.description,
                Arrays.asList(row.included), Arrays.asList(row.excluded),
                Rules.writtenStored(json.read(row.rules, RULES, "segments.rules"))), row.version);
    }
}
