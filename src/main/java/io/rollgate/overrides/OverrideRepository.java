package io.rollgate.overrides;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rollgate.engine.OverrideDocument;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The override documents (customer_feature_flags, organization_feature_flags). On the SQL client: a change
 * merges one leaf into a nested JSONB document, which Panache has no words for.
 */
@ApplicationScoped
public class OverrideRepository {

    private static final TypeReference<Map<String, Object>> DOCUMENT = new TypeReference<>() {
    };

    private final Pool pool;
    private final ObjectMapper json;

    public OverrideRepository(Pool pool, ObjectMapper json) {
        this.pool = pool;
        this.json = json;
    }

    /** The stored document, or the empty one when this id has none. */
    public Uni<OverrideDocument> find(Scope scope, String id) {
        return pool.preparedQuery("SELECT flags::text AS flags FROM " + scope.table()
                + " WHERE " + scope.idColumn() + " = $1")
                .execute(Tuple.of(id))
                .map(this::document);
    }

    /**
     * Documents for many ids in one read (a batch of cache misses); ids without a row are absent from the answer.
     */
    public Uni<Map<String, OverrideDocument>> findAll(Scope scope, List<String> ids) {
        return pool.preparedQuery("SELECT " + scope.idColumn() + " AS id, flags::text AS flags FROM " + scope.table()
                + " WHERE " + scope.idColumn() + " = ANY($1)")
                .execute(Tuple.of(ids.toArray(String[]::new)))
                .map(this::documents);
    }

    /** A page of the ids holding a document, most recently changed first, with how many flags each sets. */
    public Uni<OverrideHolders> holders(Scope scope, int page, int size) {
        Uni<Long> total = pool.query("SELECT count(*) AS total FROM " + scope.table()).execute()
                .map(rows -> rows.iterator().next().getLong("total"));
        Uni<List<OverrideHolders.Holder>> items = pool.preparedQuery("SELECT " + scope.idColumn()
                + " AS id, updated_at, (SELECT count(*) FROM jsonb_path_query(flags, 'strict $.** ? (@.type() == \"boolean\")'))"
                + " AS leaves FROM " + scope.table() + " ORDER BY updated_at DESC, " + scope.idColumn()
                + " LIMIT $1 OFFSET $2")
                .execute(Tuple.of(size, (long) page * size))
                .map(rows -> {
                    List<OverrideHolders.Holder> holders = new ArrayList<>();
                    rows.forEach(row -> holders.add(new OverrideHolders.Holder(row.getString("id"),
                            row.getOffsetDateTime("updated_at").toInstant(), row.getLong("leaves"))));
                    return holders;
                });
        return Uni.combine().all().unis(items, total).asTuple()
                .map(both -> new OverrideHolders(scope.wireName(), both.getItem1(), page, size, both.getItem2()));
    }

    /** What a starting replica loads: the most recently changed documents of each scope, and the revision they are at. */
    public record Recent(Map<String, OverrideDocument> customers, Map<String, OverrideDocument> organizations,
            long revision) {
    }

    /**
     * The most recently changed documents of each scope, at most {@code limit} each, read in one snapshot with the
     * change revision they reflect: whatever changed after it is in the change log from that revision on.
     */
    public Uni<Recent> recent(int limit) {
        return pool.withTransaction(connection -> connection
                .query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY").execute()
                .chain(() -> connection.query("SELECT revision FROM change_revision").execute())
                .map(rows -> rows.iterator().next().getLong("revision"))
                .chain(revision -> recent(connection, Scope.CUSTOMER, limit)
                        .chain(customers -> recent(connection, Scope.ORGANIZATION, limit)
                                .map(organizations -> new Recent(customers, organizations, revision)))));
    }

    private Uni<Map<String, OverrideDocument>> recent(SqlConnection connection, Scope scope, int limit) {
        return connection.preparedQuery("SELECT " + scope.idColumn() + " AS id, flags::text AS flags FROM "
                + scope.table() + " ORDER BY updated_at DESC LIMIT $1")
                .execute(Tuple.of(limit))
                .map(this::documents);
    }

    private Map<String, OverrideDocument> documents(RowSet<Row> rows) {
        Map<String, OverrideDocument> documents = new LinkedHashMap<>();
        for (Row row : rows) {
            documents.put(row.getString("id"), parse(row.getString("flags")));
        }
        return documents;
    }

    /**
     * Reads the document for a change. A transaction-scoped advisory lock on the scope and id serializes
     * writers even when no row exists yet, which a row lock could not.
     */
    public Uni<OverrideDocument> lock(SqlConnection connection, Scope scope, String id) {
        return connection.preparedQuery("SELECT pg_advisory_xact_lock(hashtext($1))")
                .execute(Tuple.of(scope.cacheKey(id)))
                .chain(() -> connection.preparedQuery("SELECT flags::text AS flags FROM " + scope.table()
                        + " WHERE " + scope.idColumn() + " = $1")
                        .execute(Tuple.of(id)))
                .map(this::document);
    }

    /** Stores the document; an empty document removes the row, so "no overrides" has one representation. */
    public Uni<Void> save(SqlConnection connection, Scope scope, String id, OverrideDocument document, String actor) {
        if (document.isEmpty()) {
            return connection.preparedQuery("DELETE FROM " + scope.table() + " WHERE " + scope.idColumn() + " = $1")
                    .execute(Tuple.of(id))
                    .replaceWithVoid();
        }
        return connection.preparedQuery("INSERT INTO " + scope.table()
                + " (" + scope.idColumn() + ", flags, updated_by) VALUES ($1, $2::text::jsonb, $3)"
                + " ON CONFLICT (" + scope.idColumn() + ") DO UPDATE SET flags = EXCLUDED.flags,"
                + " updated_by = EXCLUDED.updated_by, updated_at = now(), version = "
                + scope.table() + ".version + 1")
                .execute(Tuple.of(id, write(document), actor))
                .replaceWithVoid();
    }

    private OverrideDocument document(RowSet<Row> rows) {
        if (!rows.iterator().hasNext()) {
            return OverrideDocument.EMPTY;
        }
        return parse(rows.iterator().next().getString("flags"));
    }

    private OverrideDocument parse(String flags) {
        try {
            return OverrideDocument.fromStored(json.readValue(flags, DOCUMENT));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A stored override document is not JSON", e);
        }
    }

    private String write(OverrideDocument document) {
        try {
            return json.writeValueAsString(document.toNested());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("An override document could not be written as JSON", e);
        }
    }
}
