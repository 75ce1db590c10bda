package io.rollgate.flags.hygiene;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Flag usage and the facts staleness is worked out from (table flag_usage beside the catalog). On the SQL
 * client: last-use times are upserted in batches from the evaluation's counts.
 */
@ApplicationScoped
public class FlagHygieneRepository {

    private final Pool pool;

    public FlagHygieneRepository(Pool pool) {
        this.pool = pool;
    }

    /** Records that these flags (or every flag, with {@code all}) were evaluated now; unknown keys are skipped. */
    public Uni<Void> evaluated(String[] keys) {
        return pool.preparedQuery("""
                INSERT INTO flag_usage (flag_key, last_evaluated_at)
                SELECT flag_key, now() FROM feature_flags WHERE flag_key = ANY ($1)
                ON CONFLICT (flag_key) DO UPDATE SET last_evaluated_at = now()""")
                .execute(Tuple.of(keys))
                .replaceWithVoid();
    }

    /**
     * Whether a flag is meant to stay, in the audited change's transaction (native SQL through Hibernate's session:
     * Panache has no words for an upsert that changes nothing when nothing changed); false when it was already so.
     */
    public Uni<Boolean> setPermanent(String key, boolean permanent) {
        return Panache.getSession().chain(session -> session.createNativeQuery("""
                INSERT INTO flag_usage (flag_key, permanent) VALUES (?1, ?2)
                ON CONFLICT (flag_key) DO UPDATE SET permanent = ?2
                WHERE flag_usage.permanent IS DISTINCT FROM ?2""")
                .setParameter(1, key).setParameter(2, permanent)
                .executeUpdate())
                .map(rows -> rows == 1);
    }

    /** The facts of every flag, by key. */
    public Uni<Map<String, Staleness.Facts>> facts() {
        return pool.query("""
                SELECT f.flag_key, coalesce(u.permanent, false) AS permanent, f.enabled, f.updated_at, f.created_at,
                       u.last_evaluated_at, f.rollout_percentage, jsonb_array_length(f.rules) > 0 AS has_rules,
                       r.status, r.current_tier, r.completed_at
                FROM feature_flags f
                LEFT JOIN flag_usage u ON u.flag_key = f.flag_key
                LEFT JOIN feature_rollouts r ON r.flag_key = f.flag_key""")
                .execute()
                .map(rows -> {
                    Map<String, Staleness.Facts> facts = new LinkedHashMap<>();
                    for (Row row : rows) {
                        facts.put(row.getString("flag_key"), new Staleness.Facts(row.getBoolean("permanent"),
                                row.getBoolean("enabled"), instant(row, "updated_at"), instant(row, "created_at"),
                                instant(row, "last_evaluated_at"), row.getInteger("rollout_percentage"),
                                Boolean.TRUE.equals(row.getBoolean("has_rules")), row.getString("status"),
                                row.getString("current_tier"), instant(row, "completed_at")));
                    }
                    return facts;
                });
    }

    private static Instant instant(Row row, String column) {
        OffsetDateTime time = row.getOffsetDateTime(column);
        return time == null ? null : time.toInstant();
    }
}
