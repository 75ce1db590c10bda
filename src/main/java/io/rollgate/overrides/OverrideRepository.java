package io.rollgate.overrides;

import com.fasterxml.jackson.core.type.TypeReference;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.rollgate.database.JsonColumns;
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
    private final JsonColumns json;

    public OverrideRepository(Pool pool, JsonColumns json) {
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
     * Reads the document for a change, in the audited change's transaction. A transaction-scoped advisory lock on the
     * scope and id serializes writers even when no row exists yet, which a row lock could not. Native SQL through
     * Hibernate's session: the change commits with its audit rows, and Panache has no words for advisory locks or
     * JSONB.
     */
    public Uni<OverrideDocument> lock(Scope scope, String id) {
        return Panache.getSession().chain(session -> session
                .createNativeQuery("SELECT 1 FROM (SELECT pg_advisory_xact_lock(hashtext(?1))) l", Integer.class)
                .setParameter(1, scope.cacheKey(id))
                .getSingleResult()
                .chain(() -> session.createNativeQuery("SELECT CAST(flags AS text) FROM " + scope.table()
                        + " WHERE " + scope.idColumn() + " = ?1", String.class)
                        .setParameter(1, id)
                        .getResultList()))
                .map(rows -> rows.isEmpty() ? OverrideDocument.EMPTY : parse(rows.get(0)));
    }

    /**
     * Stores the document in the change's transaction; an empty document removes the row, so "no overrides" has one
     * representation.
     */
    public Uni<Void> save(Scope scope, String id, OverrideDocument document, String actor) {
        if (document.isEmpty()) {
            return Panache.getSession().chain(session -> session
                    .createNativeQuery("DELETE FROM " + scope.table() + " WHERE " + scope.idColumn() + " = ?1")
                    .setParameter(1, id)
                    .executeUpdate())
                    .replaceWithVoid();
        }
        // the document goes as text: a string bound where PostgreSQL infers jsonb would be stored as a JSON string
        return Panache.getSession().chain(session -> session.createNativeQuery("INSERT INTO " + scope.table()
                + " (" + scope.idColumn() + ", flags, updated_by) VALUES (?1, CAST(CAST(?2 AS text) AS jsonb), ?3)"
                + " ON CONFLICT (" + scope.idColumn() + ") DO UPDATE SET flags = EXCLUDED.flags,"
                + " updated_by = EXCLUDED.updated_by, updated_at = now(), version = "
                + scope.table() + ".version + 1")
                .setParameter(1, id).setParameter(2, write(document)).setParameter(3, actor)
                .executeUpdate())
                .replaceWithVoid();
    }

    /** A leaf a deleted flag left in one override document. */
    public record RemovedLeaf(String scope, String id, Boolean value) {
    }

    /**
     * Removes a deleted flag's leaf from every customer and organization document that holds one, in the deletion's
     * transaction, so a flag created later under the same key starts clean; answers what was removed, for the audit.
     */
    public Uni<List<RemovedLeaf>> removeLeaves(String key) {
        return Panache.getSession().chain(session -> session.createNativeQuery(
                """
                        WITH path AS (SELECT string_to_array(?1, '.') AS p),
                        customers AS (
                            UPDATE customer_feature_flags c SET flags = c.flags #- path.p, updated_at = now()
                            FROM customer_feature_flags old, path
                            WHERE old.id = c.id AND c.flags #> path.p IS NOT NULL
                            RETURNING 'customer' AS scope, c.customer_id AS id, (old.flags #>> path.p)::boolean AS value),
                        organizations AS (
                            UPDATE organization_feature_flags o SET flags = o.flags #- path.p, updated_at = now()
                            FROM organization_feature_flags old, path
                            WHERE old.id = o.id AND o.flags #> path.p IS NOT NULL
                            RETURNING 'organization' AS scope, o.organization_id AS id, (old.flags #>> path.p)::boolean AS value)
                        SELECT scope, id, value FROM customers UNION ALL SELECT scope, id, value FROM organizations""",
                Object[].class)
                .setParameter(1, key)
                .getResultList())
                .map(rows -> {
                    List<RemovedLeaf> removed = new ArrayList<>(rows.size());
                    rows.forEach(row -> removed.add(new RemovedLeaf((String) row[0], (String) row[1],
                            (Boolean) row[2])));
                    return removed;
                });
    }

    private OverrideDocument document(RowSet<Row> rows) {
        if (!rows.iterator().hasNext()) {
            return OverrideDocument.EMPTY;
        }
        return parse(rows.iterator().next().getString("flags"));
    }

    private OverrideDocument parse(String flags) {
        return OverrideDocument.fromStored(json.read(flags, DOCUMENT, "an override document's flags"));
    }

    private String write(OverrideDocument document) {
        return json.write(document.toNested());
    }
}
