package io.rollgate.rollouts;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rollgate.engine.RolloutStatus;
import io.rollgate.engine.Tier;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** SQL for feature_rollouts. Updates carry the version they read: a concurrent change makes them miss. */
@ApplicationScoped
public class RolloutRepository {

    private static final String COLUMNS = """
            flag_key, current_tier, percentage, status, whitelisted_customers, blacklisted_customers,
            rollback_threshold::text AS rollback_threshold, started_at, tier_entered_at, completed_at, breach_count,
            rollback_reason, rolled_back_at, version, policy::text AS policy, pause_reason, pause_count, rollback_count,
            tier_history::text AS tier_history""";

    private final Pool pool;
    private final ObjectMapper json;

    public RolloutRepository(Pool pool, ObjectMapper json) {
        this.pool = pool;
        this.json = json;
    }

    /** The rollout of a flag (canonical key), or null. */
    public Uni<RolloutRecord> find(String featureName) {
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM feature_rollouts WHERE flag_key = $1")
                .execute(Tuple.of(featureName))
                .map(rows -> rows.iterator().hasNext() ? toRecord(rows.iterator().next()) : null);
    }

    public Uni<List<RolloutRecord>> findAll() {
        return pool.query("SELECT " + COLUMNS + " FROM feature_rollouts ORDER BY flag_key")
                .execute()
                .map(this::toRecords);
    }

    /**
     * Rollouts serving traffic without an operator hold (active, and completed ones, still watched at
     * 100 %), locked for the caller's transaction: the automatic check.
     */
    public Uni<List<RolloutRecord>> lockActive(SqlConnection connection) {
        return connection.query("SELECT " + COLUMNS
                + " FROM feature_rollouts WHERE status IN ('active', 'completed') ORDER BY flag_key FOR UPDATE")
                .execute()
                .map(this::toRecords);
    }

    /**
     * Inserts a new rollout; false when the flag already has one. The row's feature_name, the name the
     * runbooks query by, is the flag's alias when it has one (the migration's bookkeeping trigger sets it).
     */
    public Uni<Boolean> insert(SqlConnection connection, RolloutRecord rollout) {
        return connection.preparedQuery("""
                INSERT INTO feature_rollouts (flag_key, feature_name, current_tier, percentage, status,
                    whitelisted_customers, blacklisted_customers, rollback_threshold, policy)
                VALUES ($1, $1, $2, $3, $4, $5, $6, $7::text::jsonb, $8::text::jsonb)
                ON CONFLICT DO NOTHING RETURNING flag_key""")
                .execute(Tuple.tuple().addString(rollout.featureName()).addString(rollout.tier().wireName())
                        .addInteger(rollout.percentage()).addString(rollout.status().wireName())
                        .addArrayOfString(rollout.whitelist().toArray(String[]::new))
                        .addArrayOfString(rollout.blacklist().toArray(String[]::new))
                        .addString(writeThreshold(rollout.threshold()))
                        .addString(rollout.policy() == null ? null : write(rollout.policy())))
                .map(rows -> rows.rowCount() == 1);
    }

    /** Writes the new state if the row still has {@code rollout.version()}; false when someone else changed it. */
    public Uni<Boolean> update(SqlClient client, RolloutRecord rollout) {
        return client.preparedQuery("""
                UPDATE feature_rollouts SET current_tier = $2, percentage = $3, status = $4,
                    whitelisted_customers = $5, blacklisted_customers = $6, started_at = $7, tier_entered_at = $8,
                    completed_at = $9, breach_count = $10, rollback_reason = $11, rolled_back_at = $12,
                    pause_reason = $14, policy = $15::text::jsonb, version = version + 1, updated_at = now()
                WHERE flag_key = $1 AND version = $13""")
                .execute(Tuple.tuple().addString(rollout.featureName()).addString(rollout.tier().wireName())
                        .addInteger(rollout.percentage()).addString(rollout.status().wireName())
                        .addArrayOfString(rollout.whitelist().toArray(String[]::new))
                        .addArrayOfString(rollout.blacklist().toArray(String[]::new))
                        .addOffsetDateTime(utc(rollout.startedAt())).addOffsetDateTime(utc(rollout.tierEnteredAt()))
                        .addOffsetDateTime(utc(rollout.completedAt())).addInteger(rollout.breachCount())
                        .addString(rollout.rollbackReason()).addOffsetDateTime(utc(rollout.rolledBackAt()))
                        .addLong(rollout.version()).addString(rollout.pauseReason())
                        .addString(rollout.policy() == null ? null : write(rollout.policy())))
                .map(rows -> rows.rowCount() == 1);
    }

    private List<RolloutRecord> toRecords(RowSet<Row> rows) {
        List<RolloutRecord> records = new ArrayList<>();
        rows.forEach(row -> records.add(toRecord(row)));
        return records;
    }

    private RolloutRecord toRecord(Row row) {
        return new RolloutRecord(
                row.getString("flag_key"),
                Tier.fromWire(row.getString("current_tier")),
                row.getInteger("percentage"),
                RolloutStatus.fromWire(row.getString("status")),
                Arrays.asList(row.getArrayOfStrings("whitelisted_customers")),
                Arrays.asList(row.getArrayOfStrings("blacklisted_customers")),
                readThreshold(row.getString("rollback_threshold")),
                instant(row.getOffsetDateTime("started_at")),
                instant(row.getOffsetDateTime("tier_entered_at")),
                instant(row.getOffsetDateTime("completed_at")),
                row.getInteger("breach_count"),
                row.getString("rollback_reason"),
                instant(row.getOffsetDateTime("rolled_back_at")),
                row.getLong("version"),
                readPolicy(row.getString("policy")),
                row.getString("pause_reason"),
                row.getInteger("pause_count"),
                row.getInteger("rollback_count"),
                readHistory(row.getString("tier_history")));
    }

    private RollbackThreshold readThreshold(String text) {
        try {
            JsonNode node = json.readTree(text);
            return new RollbackThreshold(
                    node.has("errorRate") ? node.get("errorRate").asDouble() : null,
                    node.has("timeWindowMs") ? node.get("timeWindowMs").asLong() : null,
                    node.has("minSamples") ? node.get("minSamples").asInt() : null,
                    node.has("consecutiveBreaches") ? node.get("consecutiveBreaches").asInt() : null)
                    .withDefaults();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("feature_rollouts.rollback_threshold is not JSON", e);
        }
    }

    private RolloutPolicy readPolicy(String text) {
        try {
            return text == null ? null : json.readValue(text, RolloutPolicy.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("feature_rollouts.policy is not a rollout policy", e);
        }
    }

    private List<Map<String, Object>> readHistory(String text) {
        try {
            return json.readValue(text, new TypeReference<List<Map<String, Object>>>() {
            });
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("feature_rollouts.tier_history is not a list", e);
        }
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A rollout value could not be written as JSON", e);
        }
    }

    private String writeThreshold(RollbackThreshold threshold) {
        Map<String, Object> stored = new LinkedHashMap<>();
        stored.put("errorRate", threshold.errorRate());
        stored.put("timeWindowMs", threshold.timeWindow());
        stored.put("minSamples", threshold.minSamples());
        stored.put("consecutiveBreaches", threshold.consecutiveBreaches());
        try {
            return json.writeValueAsString(stored);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A rollback threshold could not be written as JSON", e);
        }
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }

    private static Instant instant(OffsetDateTime time) {
        return time == null ? null : time.toInstant();
    }
}
