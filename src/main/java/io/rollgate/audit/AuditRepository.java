package io.rollgate.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** SQL for the append-only audit trail (feature_flag_changes). */
@ApplicationScoped
public class AuditRepository {

    private static final TypeReference<Map<String, Object>> DETAILS = new TypeReference<>() {
    };

    private final Pool pool;
    private final ObjectMapper json;

    public AuditRepository(Pool pool, ObjectMapper json) {
        this.pool = pool;
        this.json = json;
    }

    /** Appends the entries on the caller's connection, so they commit or roll back with the change. */
    public Uni<Void> append(SqlConnection connection, List<AuditEntry> entries) {
        if (entries.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<Tuple> batch = new ArrayList<>(entries.size());
        for (AuditEntry e : entries) {
            batch.add(Tuple.tuple(List.of()).addString(e.scope()).addString(e.customerId())
                    .addString(e.organizationId()).addString(e.flagPath()).addBoolean(e.oldValue())
                    .addBoolean(e.newValue()).addString(e.changedBy()).addString(e.reason())
                    .addString(e.action() == null ? AuditEntry.SET : e.action()).addString(write(e.details()))
                    .addString(e.subjectType()).addString(e.subject()));
        }
        return connection.preparedQuery("""
                INSERT INTO feature_flag_changes
                    (scope, customer_id, organization_id, flag_path, old_value, new_value, changed_by, reason,
                     action, details, subject_type, subject)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::text::jsonb, $11, $12)""")
                .executeBatch(batch)
                .replaceWithVoid();
    }

    /** Entries matching every given filter, newest first. */
    public Uni<AuditPage> find(AuditFilter f, int page, int size) {
        String where = """
                WHERE ($1::text IS NULL OR customer_id = $1)
                  AND ($2::text IS NULL OR organization_id = $2)
                  AND ($3::text IS NULL OR flag_path = $3)
                  AND ($4::text IS NULL OR subject_type = $4)
                  AND ($5::text IS NULL OR subject = $5)""";
        Tuple filter = filter(f);
        Uni<Long> total = pool.preparedQuery("SELECT count(*) AS total FROM feature_flag_changes " + where)
                .execute(filter)
                .map(rows -> rows.iterator().next().getLong("total"));
        Uni<List<AuditEntry>> items = pool.preparedQuery("""
                SELECT id, subject_type, subject, scope, customer_id, organization_id, flag_path, old_value,
                       new_value, changed_by, changed_at, reason, action, details::text AS details
                FROM feature_flag_changes
                """ + where + """

                ORDER BY changed_at DESC, id DESC
                LIMIT $6 OFFSET $7""")
                .execute(filter(f).addInteger(size).addLong((long) page * size))
                .map(rows -> {
                    List<AuditEntry> entries = new ArrayList<>();
                    rows.forEach(row -> entries.add(toEntry(row)));
                    return entries;
                });
        return Uni.combine().all().unis(items, total).asTuple()
                .map(both -> new AuditPage(both.getItem1(), page, size, both.getItem2()));
    }

    /** A fresh tuple each time: the count and the page run at once, and a tuple grows as it is added to. */
    private static Tuple filter(AuditFilter f) {
        return Tuple.tuple().addString(f.customerId()).addString(f.organizationId()).addString(f.flagPath())
                .addString(f.subjectType()).addString(f.subject());
    }

    private AuditEntry toEntry(Row row) {
        return new AuditEntry(row.getLong("id"), row.getString("subject_type"), row.getString("subject"),
                row.getString("scope"), row.getString("customer_id"),
                row.getString("organization_id"), row.getString("flag_path"), row.getBoolean("old_value"),
                row.getBoolean("new_value"), row.getString("changed_by"), row.getOffsetDateTime("changed_at"),
                row.getString("reason"), row.getString("action"), read(row.getString("details")));
    }

    private String write(Map<String, Object> details) {
        if (details == null) {
            return null;
        }
        try {
            return json.writeValueAsString(details);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Audit details could not be written as JSON", e);
        }
    }

    private Map<String, Object> read(String details) {
        if (details == null) {
            return null;
        }
        try {
            return json.readValue(details, DETAILS);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Stored audit details are not JSON", e);
        }
    }
}
