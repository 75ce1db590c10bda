package io.rollgate.catalog;

import com.fasterxml.jackson.core.type.TypeReference;
import io.rollgate.database.JsonColumns;
import io.rollgate.engine.FlagDefinition;
import io.rollgate.engine.Rollout;
import io.rollgate.engine.RolloutStatus;
import io.rollgate.engine.Segment;
import io.rollgate.engine.SegmentValidation;
import io.rollgate.engine.Tier;
import io.rollgate.engine.Variants;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the evaluation's snapshot: every flag, every rollout, every segment, the catalog state and the change revision
 * in one read-only transaction. On the SQL client: one consistent read of rows into engine values, where
 * entities would only be copied and dropped.
 */
@ApplicationScoped
public class FlagCatalogRepository {

    private static final TypeReference<Map<String, Boolean>> ENV_DEFAULTS = new TypeReference<>() {
    };
    private static final TypeReference<List<Map<String, Object>>> RULES = new TypeReference<>() {
    };
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };

    private final Pool pool;
    private final JsonColumns json;

    public FlagCatalogRepository(Pool pool, JsonColumns json) {
        this.pool = pool;
        this.json = json;
    }

    /** Everything the evaluation snapshot holds, and the change revision it reflects. */
    public record Snapshot(List<FlagDefinition> flags, List<Rollout> rollouts, List<Segment> segments, State state,
            long revision) {
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
                                .chain(rollouts -> loadSegments(connection)
                                        .chain(segments -> loadState(connection)
                                                .map(state -> new Snapshot(flags, rollouts, segments, state,
                                                        revision)))))));
    }

    /** Every flag as the snapshot's transaction sees it. */
    private Uni<List<FlagDefinition>> loadFlags(SqlConnection connection) {
        return connection.query("""
                SELECT flag_key, alias, description, flag_group, enabled, default_value,
                       environment_defaults::text AS environment_defaults, prerequisites, rules::text AS rules,
                       rollout_percentage, version, variants::text AS variants
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

    /** Every segment, read leniently like the flags' rules: a list entry or rule that is wrong is left out. */
    private Uni<List<Segment>> loadSegments(SqlConnection connection) {
        return connection.query("SELECT segment_key, description, included, excluded, rules::text AS rules, version "
                + "FROM segments ORDER BY segment_key")
                .execute()
                .map(rows -> {
                    List<Segment> segments = new ArrayList<>();
                    rows.forEach(row -> segments.add(SegmentValidation.stored(new SegmentValidation.SegmentDraft(
                            row.getString("segment_key"), row.getString("description"),
                            Arrays.asList(row.getArrayOfStrings("included")),
                            Arrays.asList(row.getArrayOfStrings("excluded")),
                            Rules.writtenStored(json.read(row.getString("rules"), RULES, "segments.rules"))),
                            row.getLong("version"))));
                    return segments;
                });
    }

    private FlagDefinition toFlag(Row row) {
        String[] prerequisites = row.getArrayOfStrings("prerequisites");
        Variants variants = Rules.fromStored(json.read(row.getString("variants"), MAP, "feature_flags.variants"));
        return new FlagDefinition(
                row.getString("flag_key"),
                row.getString("alias"),
                row.getString("description"),
                row.getString("flag_group"),
                row.getBoolean("enabled"),
                row.getBoolean("default_value"),
                json.read(row.getString("environment_defaults"), ENV_DEFAULTS, "feature_flags.environment_defaults"),
                prerequisites == null ? List.of() : Arrays.asList(prerequisites),
                Rules.fromStored(json.read(row.getString("rules"), RULES, "feature_flags.rules"), variants),
                row.getInteger("rollout_percentage"),
                row.getLong("version"),
                variants);
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
}
