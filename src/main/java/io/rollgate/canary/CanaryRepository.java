package io.rollgate.canary;

import com.fasterxml.jackson.core.type.TypeReference;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Sort;
import io.rollgate.database.JsonColumns;
import io.rollgate.errors.ConflictException;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

/** Canary deployments, and the request counters their traffic reports. */
@ApplicationScoped
public class CanaryRepository implements PanacheRepositoryBase<CanaryRow, UUID> {

    private static final String COLUMNS = """
            id, service, version, strategy, stages::text AS stages, current_stage, percentage, status, started_at,
            stage_started_at, finished_at, rollback_reason, row_version""";
    private static final TypeReference<List<CanaryStage>> STAGES = new TypeReference<>() {
    };
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };
    private static final List<String> IN_FLIGHT = List.of(CanaryDeployment.Status.ACTIVE.wireName(),
            CanaryDeployment.Status.PAUSED.wireName());

    /** Per-arm totals and histogram of one stage, as read back. */
    public static final class ArmCounts {

        private final long requests;
        private final long errors;
        private final long[] buckets;
        private final double maxLatency;

        public ArmCounts(long requests, long errors, long[] buckets, double maxLatency) {
            this.requests = requests;
            this.errors = errors;
            this.buckets = buckets;
            this.maxLatency = maxLatency;
        }

        public long requests() {
            return requests;
        }

        public long errors() {
            return errors;
        }

        public long[] buckets() {
            return buckets;
        }

        public double maxLatency() {
            return maxLatency;
        }
    }

    private final Pool pool;
    private final JsonColumns json;

    public CanaryRepository(Pool pool, JsonColumns json) {
        this.pool = pool;
        this.json = json;
    }

    /** Stores a new deployment in the current transaction. */
    public Uni<Void> insert(CanaryDeployment deployment) {
        CanaryRow row = new CanaryRow();
        row.id = deployment.id();
        row.service = deployment.service();
        row.version = deployment.version();
        row.strategy = deployment.strategy().wireName();
        row.stages = json.write(deployment.stages());
        row.startedAt = deployment.startedAt();
        apply(deployment, null, row);
        return persist(row).replaceWithVoid();
    }

    /**
     * Writes a new state in the current transaction if the row still has the version read; false otherwise.
     * {@code finalMetrics}, when given, are kept as the deployment's last word.
     */
    public Uni<Boolean> update(CanaryDeployment deployment, Map<String, Object> finalMetrics) {
        // the row's version guards the write: a concurrent change makes the flush fail with a conflict
        return findById(deployment.id()).map(row -> {
            if (row == null || row.rowVersion != deployment.rowVersion()) {
                return false;
            }
            apply(deployment, finalMetrics, row);
            return true;
        });
    }

    private void apply(CanaryDeployment deployment, Map<String, Object> finalMetrics, CanaryRow row) {
        row.currentStage = deployment.currentStage();
        row.percentage = deployment.percentage();
        row.status = deployment.status().wireName();
        row.stageStartedAt = deployment.stageStartedAt();
        row.finishedAt = deployment.finishedAt();
        row.rollbackReason = deployment.rollbackReason();
        if (finalMetrics != null) {
            row.finalMetrics = json.write(finalMetrics);
        }
    }

    /** The service's deployment in flight, or null; in the current transaction when there is one. */
    public Uni<CanaryDeployment> inFlight(String service) {
        return Panache.withSession(() -> find("service = ?1 and status in ?2", service, IN_FLIGHT).firstResult())
                .map(row -> row == null ? null : toDeployment(row));
    }

    /** Every deployment in flight, locked for the current transaction (the automation). */
    public Uni<List<CanaryDeployment>> lockInFlight() {
        return find("status in ?1", Sort.by("service"), IN_FLIGHT).withLock(LockModeType.PESSIMISTIC_WRITE).list()
                .map(rows -> rows.stream().map(this::toDeployment).toList());
    }

    /**
     * In-flight deployments, and each service's latest finished one (its stable version). On the SQL client:
     * DISTINCT ON picks both in one read, which Panache cannot say.
     */
    public Uni<List<CanaryDeployment>> routingState() {
        return pool.query("""
                SELECT DISTINCT ON (service, in_flight) %s, status IN ('active', 'paused') AS in_flight
                FROM canary_deployments
                WHERE status IN ('active', 'paused', 'completed')
                ORDER BY service, in_flight, started_at DESC""".formatted(COLUMNS))
                .execute().map(this::toDeployments);
    }

    /** A finished or running deployment with the metrics kept when it finished (null while in flight). */
    public record HistoryRow(CanaryDeployment deployment, Map<String, Object> finalMetrics) {
    }

    /** The service's last deployments, newest first, with their final metrics. */
    public Uni<List<HistoryRow>> history(String service, int limit) {
        return Panache.withSession(() -> find("service", Sort.descending("startedAt").and("id"), service)
                .page(Page.ofSize(limit)).list())
                .map(rows -> rows.stream().map(row -> new HistoryRow(toDeployment(row),
                        json.read(row.finalMetrics, MAP, "canary_deployments.final_metrics"))).toList());
    }

    /** A traffic report's counts in columns: (arm, latency bucket, requests, errors, largest latency) per row. */
    public static final class TrafficRows {

        private final String[] arms;
        private final Short[] buckets;
        private final Long[] requests;
        private final Long[] errors;
        private final Double[] maxLatencies;

        public TrafficRows(String[] arms, Short[] buckets, Long[] requests, Long[] errors, Double[] maxLatencies) {
            this.arms = arms;
            this.buckets = buckets;
            this.requests = requests;
            this.errors = errors;
            this.maxLatencies = maxLatencies;
        }

        public String[] arms() {
            return arms;
        }

        public Short[] buckets() {
            return buckets;
        }

        public Long[] requests() {
            return requests;
        }

        public Long[] errors() {
            return errors;
        }

        public Double[] maxLatencies() {
            return maxLatencies;
        }
    }

    /** What became of a traffic report: the deployment it met, and whether it was counted or seen before. */
    public record Counted(CanaryDeployment deployment, boolean counted, boolean duplicate) {
    }

    /**
     * Counts a traffic report in one transaction of its own. The service's deployment in flight is share-locked, so
     * the stage counted against is the one it is at until commit; {@code stageToCount} answers it (or null to count
     * nothing, or fails to refuse the report). A batch id is claimed first, so a report sent twice counts once.
     */
    public Uni<Counted> addTraffic(String service, String batchId, Function<CanaryDeployment, Integer> stageToCount,
            TrafficRows rows) {
        return pool.withTransaction(connection -> connection.preparedQuery("SELECT " + COLUMNS
                + " FROM canary_deployments WHERE service = $1 AND status IN ('active', 'paused') FOR SHARE")
                .execute(Tuple.of(service))
                .map(found -> found.iterator().hasNext() ? toDeployment(found.iterator().next()) : null)
                .onItem().ifNull().failWith(() -> new ConflictException(service + " has no deployment in flight"))
                .chain(deployment -> {
                    Integer stage = stageToCount.apply(deployment);
                    if (stage == null) {
                        return Uni.createFrom().item(new Counted(deployment, false, false));
                    }
                    Uni<Boolean> fresh = batchId == null
                            ? Uni.createFrom().item(true)
                            : claimBatch(connection, batchId, deployment.id());
                    return fresh.chain(isFresh -> !isFresh
                            ? Uni.createFrom().item(new Counted(deployment, false, true))
                            : addCounts(connection, deployment.id(), stage, rows)
                                    .replaceWith(new Counted(deployment, true, false)));
                }));
    }

    private static Uni<Void> addCounts(SqlClient client, UUID deploymentId, int stage, TrafficRows rows) {
        return client.preparedQuery("""
                INSERT INTO canary_request_counts (deployment_id, stage, arm, bucket, requests, errors, max_latency_ms)
                SELECT $1, $2, a, b, r, e, m
                FROM unnest($3::text[], $4::smallint[], $5::bigint[], $6::bigint[], $7::float8[]) AS u(a, b, r, e, m)
                ON CONFLICT (deployment_id, stage, arm, bucket) DO UPDATE
                SET requests = canary_request_counts.requests + EXCLUDED.requests,
                    errors = canary_request_counts.errors + EXCLUDED.errors,
                    max_latency_ms = greatest(canary_request_counts.max_latency_ms, EXCLUDED.max_latency_ms)""")
                .execute(Tuple.tuple().addUUID(deploymentId).addInteger(stage).addArrayOfString(rows.arms())
                        .addValue(rows.buckets()).addArrayOfLong(rows.requests()).addArrayOfLong(rows.errors())
                        .addArrayOfDouble(rows.maxLatencies()))
                .replaceWithVoid();
    }

    private static Uni<Boolean> claimBatch(SqlClient client, String batchId, UUID deploymentId) {
        return client.preparedQuery("""
                INSERT INTO canary_request_batches (batch_id, deployment_id) VALUES ($1, $2)
                ON CONFLICT (batch_id) DO NOTHING RETURNING batch_id""")
                .execute(Tuple.of(batchId, deploymentId))
                .map(rows -> rows.rowCount() == 1);
    }

    /** Deletes batch ids received before {@code before}, through the index on their time; answers how many. */
    public Uni<Long> deleteBatchesBefore(Instant before) {
        return pool.preparedQuery("DELETE FROM canary_request_batches WHERE received_at < $1")
                .execute(Tuple.of(before.atOffset(java.time.ZoneOffset.UTC)))
                .map(rows -> (long) rows.rowCount());
    }

    /** Counts of one stage by arm ("canary", "stable"). */
    public Uni<Map<String, ArmCounts>> stageCounts(UUID deploymentId, int stage) {
        return pool.preparedQuery("SELECT " + STAGE_COUNTS + " WHERE deployment_id = $1 AND stage = $2")
                .execute(Tuple.of(deploymentId, stage))
                .map(rows -> {
                    List<Object[]> values = new ArrayList<>();
                    rows.forEach(row -> values.add(new Object[]{ row.getString("arm"), row.getInteger("bucket"),
                            row.getLong("requests"), row.getLong("errors"), row.getDouble("max_latency_ms") }));
                    return aggregate(values);
                });
    }

    /**
     * The same counts, read on the connection of the current transaction: the automation and an operator's step
     * decide on them while they hold the deployment's row, and reading them on a second pooled connection could wait
     * for the pool behind the very traffic reports that wait for that row.
     */
    public Uni<Map<String, ArmCounts>> stageCountsInTransaction(UUID deploymentId, int stage) {
        return Panache.getSession().chain(session -> session
                .createNativeQuery("SELECT " + STAGE_COUNTS + " WHERE deployment_id = ?1 AND stage = ?2",
                        Object[].class)
                .setParameter(1, deploymentId).setParameter(2, stage)
                .getResultList())
                .map(CanaryRepository::aggregate);
    }

    private static final String STAGE_COUNTS = "arm, bucket, requests, errors, max_latency_ms FROM canary_request_counts";

    /** Rows of (arm, bucket, requests, errors, largest latency) summed per side. */
    private static Map<String, ArmCounts> aggregate(List<Object[]> rows) {
        long[][] buckets = { new long[LatencyHistogram.BOUNDS.length], new long[LatencyHistogram.BOUNDS.length] };
        long[] requests = new long[2];
        long[] errors = new long[2];
        double[] max = new double[2];
        for (Object[] row : rows) {
            int arm = "canary".equals(row[0]) ? 0 : 1;
            int bucket = ((Number) row[1]).intValue();
            long count = ((Number) row[2]).longValue();
            if (bucket >= 0 && bucket < LatencyHistogram.BOUNDS.length) {
                buckets[arm][bucket] += count;
            }
            requests[arm] += count;
            errors[arm] += ((Number) row[3]).longValue();
            max[arm] = Math.max(max[arm], ((Number) row[4]).doubleValue());
        }
        return Map.of("canary", new ArmCounts(requests[0], errors[0], buckets[0], max[0]),
                "stable", new ArmCounts(requests[1], errors[1], buckets[1], max[1]));
    }

    private List<CanaryDeployment> toDeployments(RowSet<Row> rows) {
        List<CanaryDeployment> deployments = new ArrayList<>();
        rows.forEach(row -> deployments.add(toDeployment(row)));
        return deployments;
    }

    private CanaryDeployment toDeployment(Row row) {
        return new CanaryDeployment(row.getUUID("id"), row.getString("service"), row.getString("version"),
                CanaryDeployment.Strategy.fromWire(row.getString("strategy")),
                readStages(row.getString("stages")), row.getInteger("current_stage"),
                row.getInteger("percentage"), CanaryDeployment.Status.fromWire(row.getString("status")),
                instant(row.getOffsetDateTime("started_at")), instant(row.getOffsetDateTime("stage_started_at")),
                instant(row.getOffsetDateTime("finished_at")), row.getString("rollback_reason"),
                row.getLong("row_version"));
    }

    private List<CanaryStage> readStages(String text) {
        return json.read(text, STAGES, "canary_deployments.stages");
    }

    private CanaryDeployment toDeployment(CanaryRow row) {
        return new CanaryDeployment(row.id, row.service, row.version,
                CanaryDeployment.Strategy.fromWire(row.strategy), readStages(row.stages),
                row.currentStage, row.percentage, CanaryDeployment.Status.fromWire(row.status), row.startedAt,
                row.stageStartedAt, row.finishedAt, row.rollbackReason, row.rowVersion);
    }

    private static Instant instant(OffsetDateTime time) {
        return time == null ? null : time.toInstant();
    }
}
