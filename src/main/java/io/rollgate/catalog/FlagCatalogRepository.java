package io.rollgate.catalog;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rollgate.engine.FlagDefinition;
import io.rollgate.engine.Rollout;
import io.rollgate.engine.RolloutStatus;
import io.rollgate.engine.Tier;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** SQL for the flag catalog (table feature_flags). */
@ApplicationScoped
public class FlagCatalogRepository {

    private static final TypeReference<Map<String, Boolean>> ENV_DEFAULTS = new TypeReference<>() {
    };
    private static final TypeReference<List<Map<String, Object>>> RULES = new TypeReference<>() {
    };

    private final Pool pool;
    private final ObjectMapper json;

    public FlagCatalogRepository(Pool pool, ObjectMapper json) {
        this.pool = pool;
        this.json = json;
    }

    /** Everything the evaluation snapshot holds, and the change revision it reflects. */
    public record Snapshot(List<FlagDefinition> flags, List<Rollout> rollouts, State state, long revision) {
    }

    /**
     * Reads flags, rollouts, catalog state and revision in one read-only REPEATABLE READ transaction, so
     * the parts agree with each other and with the revision they are installed under.
     */
    public Uni<Snapshot> loadSnapshot() {
        return pool.withTransaction(connection -> connection
                .query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY").execute()
                .chain(() -> connection.query("SELECT revision FROM change_revision").execute())
                .map(rows -> rows.iterator().next().getLong("revision"))
                .chain(revision -> loadFlags(connection)
                        .chain(flags -> loadRollouts(connection)
                                .chain(rollouts -> loadState(connection)
                                        .map(state -> new Snapshot(flags, rollouts, state, revision))))));
    }

    /**
     * Serializes flag definition writes until the caller's transaction ends, so a prerequisite cycle or a
     * key clash checked against {@link #loadFlags} cannot be created by two writes at once.
     */
    public Uni<Void> lockDefinitions(SqlConnection connection) {
        return connection.query("SELECT pg_advisory_xact_lock(hashtext('rollgate.flag-definitions'))").execute()
                .replaceWithVoid();
    }

    /** Every flag as the caller's transaction sees it. */
    public Uni<List<FlagDefinition>> loadFlags(SqlConnection connection) {
        return connection.query("""
                SELECT flag_key, alias, description, flag_group, enabled, default_value,
                       environment_defaults::text AS environment_defaults, prerequisites, rules::text AS rules,
                       rollout_percentage, version
                FROM feature_flags
                ORDER BY flag_group, sort_order, flag_key""")
                .execute()
                .map(rows -> {
                    List<FlagDefinition> flags = new ArrayList<>();
                    rows.forEach(row -> flags.add(toFlag(row)));
                    return flags;
                });
    }

    /**
     * The evaluation's view of every rollout: tier, percentage, status and lists. A row written by hand
     * whose tier and percentage disagree is served off (see {@link Rollout#consistent()}).
     */
    private Uni<List<Rollout>> loadRollouts(SqlConnection connection) {
        return connection.query("""
                SELECT flag_key, current_tier, percentage, status, whitelisted_customers, blacklisted_customers
                FROM feature_rollouts""")
                .execute()
                .map(rows -> {
                    List<Rollout> rollouts = new ArrayList<>();
                    rows.forEach(row -> rollouts.add(new Rollout(row.getString("flag_key"),
                            Tier.fromWire(row.getString("current_tier")), row.getInteger("percentage"),
                            RolloutStatus.fromWire(row.getString("status")),
                            Set.copyOf(Arrays.asList(row.getArrayOfStrings("whitelisted_customers"))),
                            Set.copyOf(Arrays.asList(row.getArrayOfStrings("blacklisted_customers"))))));
                    return rollouts;
                });
    }

    /** Locks the flag's row and returns its kill-switch state, or null when there is no such flag. */
    public Uni<Boolean> lockEnabled(SqlConnection connection, String key) {
        return connection.preparedQuery("SELECT enabled FROM feature_flags WHERE flag_key = $1 FOR UPDATE")
                .execute(Tuple.of(key))
                .map(rows -> rows.iterator().hasNext() ? rows.iterator().next().getBoolean("enabled") : null);
    }

    public Uni<Void> setEnabled(SqlConnection connection, String key, boolean enabled) {
        return connection.preparedQuery("""
                UPDATE feature_flags SET enabled = $2, version = version + 1, updated_at = now()
                WHERE flag_key = $1""")
                .execute(Tuple.of(key, enabled))
                .replaceWithVoid();
    }

    private FlagDefinition toFlag(Row row) {
        String[] prerequisites = row.getArrayOfStrings("prerequisites");
        return new FlagDefinition(
                row.getString("flag_key"),
                row.getString("alias"),
                row.getString("description"),
                row.getString("flag_group"),
                row.getBoolean("enabled"),
                row.getBoolean("default_value"),
                parseDefaults(row.getString("environment_defaults")),
                prerequisites == null ? List.of() : Arrays.asList(prerequisites),
                Rules.fromStored(parse(row.getString("rules"), RULES)),
                row.getInteger("rollout_percentage"),
                row.getLong("version"));
    }

    private Map<String, Boolean> parseDefaults(String text) {
        return parse(text, ENV_DEFAULTS);
    }

    private <T> T parse(String text, TypeReference<T> type) {
        try {
            return json.readValue(text, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A feature_flags JSON column does not have the expected shape", e);
        }
    }

    /** The catalog version and last update of the flag configuration document. */
    public record State(long version, Instant lastUpdated) {
    }

    private Uni<State> loadState(SqlConnection connection) {
        return connection.query("SELECT version, last_updated FROM catalog_state").execute()
                .map(rows -> {
                    Row row = rows.iterator().next();
                    return new State(row.getLong("version"), row.getOffsetDateTime("last_updated").toInstant());
                });
    }

    /** The catalog version, its row locked until the caller's transaction ends. */
    public Uni<Long> lockVersion(SqlConnection connection) {
        return connection.query("SELECT version FROM catalog_state FOR UPDATE").execute()
                .map(rows -> rows.iterator().next().getLong("version"));
    }

    /** Bumps the catalog version in the caller's transaction. */
    public Uni<Void> bumpVersion(SqlConnection connection) {
        return connection.query("UPDATE catalog_state SET version = version + 1, last_updated = now()").execute()
                .replaceWithVoid();
    }

    /** A new flag; false when the key (or an alias) is taken. */
    public Uni<Boolean> insert(SqlConnection connection, FlagDefinition flag) {
        return connection.preparedQuery("""
                INSERT INTO feature_flags (flag_key, description, flag_group, enabled, default_value,
                    environment_defaults, prerequisites, rules, rollout_percentage, sort_order)
                SELECT $1, $2, $3, $4, $5, $6::text::jsonb, $7, $8::text::jsonb, $9,
                       coalesce((SELECT max(sort_order) FROM feature_flags), 0) + 1
                WHERE NOT EXISTS (SELECT 1 FROM feature_flags WHERE alias = $1)
                ON CONFLICT (flag_key) DO NOTHING RETURNING flag_key""")
                .execute(definition(flag))
                .map(rows -> rows.rowCount() == 1);
    }

    /** Replaces a flag's definition if it still has {@code expectedVersion}; false otherwise. */
    public Uni<Boolean> update(SqlConnection connection, FlagDefinition flag, long expectedVersion) {
        return connection.preparedQuery("""
                UPDATE feature_flags SET description = $2, flag_group = $3, enabled = $4, default_value = $5,
                    environment_defaults = $6::text::jsonb, prerequisites = $7, rules = $8::text::jsonb,
                    rollout_percentage = $9, version = version + 1, updated_at = now()
                WHERE flag_key = $1 AND version = $10""")
                .execute(definition(flag).addLong(expectedVersion))
                .map(rows -> rows.rowCount() == 1);
    }

    public Uni<Boolean> delete(SqlConnection connection, String key, long expectedVersion) {
        return connection.preparedQuery("DELETE FROM feature_flags WHERE flag_key = $1 AND version = $2")
                .execute(Tuple.of(key, expectedVersion))
                .map(rows -> rows.rowCount() == 1);
    }

    /** A leaf a deleted flag left in one override document. */
    public record RemovedLeaf(String scope, String id, Boolean value) {
    }

    /**
     * Removes a deleted flag's leaf from every customer and organization document that holds one, so a
     * flag created later under the same key starts clean; answers what was removed, for the audit.
     */
    public Uni<List<RemovedLeaf>> removeLeaves(SqlConnection connection, String key) {
        String[] path = key.split("\\.");
        return connection.preparedQuery("""
                WITH customers AS (
                    UPDATE customer_feature_flags c SET flags = c.flags #- $1, updated_at = now()
                    FROM customer_feature_flags old
                    WHERE old.id = c.id AND c.flags #> $1 IS NOT NULL
                    RETURNING 'customer' AS scope, c.customer_id AS id, (old.flags #>> $1)::boolean AS value),
                organizations AS (
                    UPDATE organization_feature_flags o SET flags = o.flags #- $1, updated_at = now()
                    FROM organization_feature_flags old
                    WHERE old.id = o.id AND o.flags #> $1 IS NOT NULL
                    RETURNING 'organization' AS scope, o.organization_id AS id, (old.flags #>> $1)::boolean AS value)
                SELECT * FROM customers UNION ALL SELECT * FROM organizations""")
                .execute(Tuple.of(path))
                .map(rows -> {
                    List<RemovedLeaf> removed = new ArrayList<>();
                    rows.forEach(row -> removed.add(new RemovedLeaf(row.getString("scope"), row.getString("id"),
                            row.getBoolean("value"))));
                    return removed;
                });
    }

    /** Keys of the flags that name {@code key} as a prerequisite. */
    public Uni<List<String>> dependents(SqlConnection connection, String key) {
        return connection.preparedQuery("SELECT flag_key FROM feature_flags WHERE $1 = ANY (prerequisites)")
                .execute(Tuple.of(key))
                .map(rows -> {
                    List<String> keys = new ArrayList<>();
                    rows.forEach(row -> keys.add(row.getString("flag_key")));
                    return keys;
                });
    }

    private Tuple definition(FlagDefinition flag) {
        return Tuple.tuple().addString(flag.key()).addString(flag.description()).addString(flag.group())
                .addBoolean(flag.enabled()).addBoolean(flag.defaultValue()).addString(write(flag.environmentDefaults()))
                .addArrayOfString(flag.prerequisites().toArray(String[]::new))
                .addString(write(Rules.toDtos(flag.rules())))
                .addValue(flag.rolloutPercentage() == null ? null : flag.rolloutPercentage().shortValue());
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A flag definition could not be written as JSON", e);
        }
    }
}
