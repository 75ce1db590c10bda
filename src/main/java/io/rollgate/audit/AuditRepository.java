package io.rollgate.audit;

import com.fasterxml.jackson.core.type.TypeReference;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.PanacheQuery;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;
import io.rollgate.database.JsonColumns;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The append-only audit trail (feature_flag_changes). */
@ApplicationScoped
public class AuditRepository implements PanacheRepositoryBase<AuditRecord, Long> {

    private static final TypeReference<Map<String, Object>> DETAILS = new TypeReference<>() {
    };
    private static final Sort NEWEST_FIRST = Sort.descending("changedAt", "id");

    private final JsonColumns json;

    public AuditRepository(JsonColumns json) {
        this.json = json;
    }

    /** Appends the entries in the current transaction, so they commit or roll back with the change. */
    public Uni<Void> append(List<AuditEntry> entries) {
        if (entries.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return persist(entries.stream().map(entry -> AuditRecord.of(entry, json.write(entry.details()))))
                .replaceWithVoid();
    }

    /** Entries matching every given filter, newest first. */
    public Uni<AuditPage> find(AuditFilter f, int page, int size) {
        List<String> clauses = new ArrayList<>();
        Parameters parameters = new Parameters();
        match(clauses, parameters, "customerId", f.customerId());
        match(clauses, parameters, "organizationId", f.organizationId());
        match(clauses, parameters, "flagPath", f.flagPath());
        match(clauses, parameters, "subjectType", f.subjectType());
        match(clauses, parameters, "subject", f.subject());
        match(clauses, parameters, "changedBy", f.changedBy());
        match(clauses, parameters, "action", f.action());
        if (f.flagPrefix() != null) {
            clauses.add("flagPath like :flagPrefix escape '\\'");
            parameters.and("flagPrefix", f.flagPrefix().replaceAll("([\\\\%_])", "\\\\$1") + "%");
        }
        if (f.from() != null) {
            clauses.add("changedAt >= :from");
            parameters.and("from", f.from().atOffset(ZoneOffset.UTC));
        }
        if (f.to() != null) {
            clauses.add("changedAt < :to");
            parameters.and("to", f.to().atOffset(ZoneOffset.UTC));
        }
        return Panache.withSession(() -> {
            PanacheQuery<AuditRecord> query = clauses.isEmpty()
                    ? findAll(NEWEST_FIRST)
                    : find(String.join(" and ", clauses), NEWEST_FIRST, parameters);
            // one session runs one statement at a time: the count, then the page
            return query.count().chain(total -> query.page(Page.of(page, size)).list()
                    .map(records -> new AuditPage(
                            records.stream()
                                    .map(r -> r.toEntry(json.read(r.details, DETAILS, "feature_flag_changes.details")))
                                    .toList(),
                            page, size,
                            total)));
        });
    }

    private static void match(List<String> clauses, Parameters parameters, String field, String value) {
        if (value != null) {
            clauses.add(field + " = :" + field);
            parameters.and(field, value);
        }
    }

    /**
     * The actions and actors of the latest {@code window} entries, for the audit's filters to offer: read through the
     * time index, so its cost does not grow with the trail.
     */
    public Uni<AuditValues> recentValues(int window) {
        return Panache.withSession(() -> Panache.getSession().chain(session -> session.createNativeQuery("""
                SELECT coalesce(string_agg(DISTINCT action, E'\\n' ORDER BY action), ''),
                       coalesce(string_agg(DISTINCT changed_by, E'\\n' ORDER BY changed_by), '')
                FROM (SELECT action, changed_by FROM feature_flag_changes
                      ORDER BY changed_at DESC, id DESC LIMIT ?1) recent""", Object[].class)
                .setParameter(1, window).getSingleResult()))
                .map(row -> new AuditValues(split(row[0]), split(row[1]), window));
    }

    private static List<String> split(Object joined) {
        String text = String.valueOf(joined);
        return text.isEmpty() ? List.of() : List.of(text.split("\n"));
    }
}
