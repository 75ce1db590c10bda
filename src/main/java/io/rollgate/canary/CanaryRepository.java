package io.rollgate.canary;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** SQL for canary deployments and their request counters. */
@ApplicationScoped
public class CanaryRepository {

    private static final String COLUMNS = """
            id, service, version, strategy, stages::text AS stages, current_stage, percentage, status, started_at,
            stage_started_at, finished_at, rollback_reason, row_version""";
    private static final TypeReference<List<CanaryStage>> STAGES = new TypeReference<>() {
    };

    /** Per-arm totals and histogram of one stage, as read back. */
    public record ArmCounts(long requests, long errors, long[] buckets, double maxLatency) {
    }

    private final Pool pool;
    private final ObjectMapper json;

    public CanaryRepository(Pool pool, ObjectMapper json) {
        this.pool = pool;
        this.json = json;
    }

    public Uni<Void> insert(SqlConnection connection, CanaryDeployment deployment) {
        return connection.preparedQuery("""
                INSERT INTO canary_deployments (id, service, version, strategy, stages, current_stage, percentage,
                    status, started_at, stage_started_at, finished_at)
                VALUES ($1, $2, $3, $4, $5::text::jsonb, $6, $7, $8, $9, $10, $11)""")
                .execute(Tuple.tuple().addUUID(deployment.id()).addString(deployment.service())
                        .addString(deployment.version()).addString(deployment.strategy().wireName())
                        .addString(write(deployment.stages())).addInteger(deployment.currentStage())
                        .addValue((short) deployment.percentage()).addString(deployment.status().wireName())
                        .addOffsetDateTime(utc(deployment.startedAt()))
                        .addOffsetDateTime(utc(deployment.stageStartedAt()))
                        .addOffsetDateTime(utc(deployment.finishedAt())))
                .replaceWithVoid();
    }

    /** Writes a new state if the row still has the version read; false otherwise. */
    public Uni<Boolean> update(SqlClient client, CanaryDeployment deployment, Map<String, Object> finalMetrics) {
        return client.preparedQuery("""
                UPDATE canary_deployments SET current_stage = $2, percentage = $3, status = $4, stage_started_at = $5,
                    finished_at = $6, rollback_reason = $7, final_metrics = coalesce($8::text::jsonb, final_metrics),
                    row_version = row_version + 1
                WHERE id = $1 AND row_version = $9""")
                .execute(Tuple.tuple().addUUID(deployment.id()).addInteger(deployment.currentStage())
                        .addValue((short) deployment.percentage()).addString(deployment.status().wireName())
                        .addOffsetDateTime(utc(deployment.stageStartedAt()))
                        .addOffsetDateTime(utc(deployment.finishedAt()))
                        .addString(deployment.rollbackReason())
                        .addString(finalMetrics == null ? null : write(finalMetrics))
                        .addLong(deployment.rowVersion()))
                .map(rows -> rows.rowCount() == 1);
    }

    /** The service's deployment in flight, or null. */
    public Uni<CanaryDeployment> inFlight(SqlClient client, String service) {
        return inFlight(client, service, "");
    }

    private Uni<CanaryDeployment> inFlight(SqlClient client, String service, String locking) {
        return client.preparedQuery("SELECT " + COLUMNS + " FROM canary_deployments "
                + "WHERE service = $1 AND status IN ('active', 'paused')" + locking)
                .execute(Tuple.of(service))
                .map(rows -> rows.iterator().hasNext() ? toDeployment(rows.iterator().next()) : null);
    }

    public Uni<CanaryDeployment> inFlight(String service) {
        return inFlight(pool, service);
    }

    /** Every deployment in flight, locked for the caller's transaction (the automation). */
    public Uni<List<CanaryDeployment>> lockInFlight(SqlConnection connection) {
        return connection.query("SELECT " + COLUMNS + " FROM canary_deployments "
                + "WHERE status IN ('active', 'paused') ORDER BY service FOR UPDATE")
                .execute().map(this::toDeployments);
    }

    /** In-flight deployments, and each service's latest finished one (its stable version). */
    public Uni<List<CanaryDeployment>> routingState() {
        return pool.query("""
                SELECT DISTINCT ON (service, in_flight) %s, status IN ('active', 'paused') AS in_flight
                FROM canary_deployments
                WHERE status IN ('active', 'paused', 'completed')
                ORDER BY service, in_flight, started_at DESC""".formatted(COLUMNS))
                .execute().map(this::toDeployments);
    }

    /** The service's last deployments, newest first, with their final metrics. */
    /** A finished or running deployment with the metrics kept when it finished (null while in flight). */
    public record HistoryRow(CanaryDeployment deployment, Map<String, Object> finalMetrics) {
    }

    public Uni<List<HistoryRow>> history(String service, int limit) {
        return pool.preparedQuery("SELECT " + COLUMNS + ", final_metrics::text AS final_metrics "
                + "FROM canary_deployments WHERE service = $1 ORDER BY started_at DESC, id LIMIT $2")
                .execute(Tuple.of(service, limit))
                .map(rows -> {
                    List<HistoryRow> entries = new ArrayList<>();
                    rows.forEach(row -> entries.add(new HistoryRow(toDeployment(row),
                            readMap(row.getString("final_metrics")))));
                    return entries;
                });
    }

    /** Adds request counts: rows of (arm, bucket, requests, errors, largest latency) for one deployment stage. */
    public Uni<Void> addCounts(SqlClient client, UUID deploymentId, int stage, String[] arms, Short[] buckets,
            Long[] requests, Long[] errors, Double[] maxLatencies) {
        return client.preparedQuery("""
                INSERT INTO canary_request_counts (deployment_id, stage, arm, bucket, requests, errors, max_latency_ms)
                SELECT $1, $2, a, b, r, e, m
                FROM unnest($3::text[], $4::smallint[], $5::bigint[], $6::bigint[], $7::float8[]) AS u(a, b, r, e, m)
                ON CONFLICT (deployment_id, stage, arm, bucket) DO UPDATE
                SET requests = canary_request_counts.requests + EXCLUDED.requests,
                    errors = canary_request_counts.errors + EXCLUDED.errors,
                    max_latency_ms = greatest(canary_request_counts.max_latency_ms, EXCLUDED.max_latency_ms)""")
                .execute(Tuple.tuple().addUUID(deploymentId).addInteger(stage).addArrayOfString(arms)
                        .addValue(buckets).addArrayOfLong(requests).addArrayOfLong(errors)
                        .addArrayOfDouble(maxLatencies))
                .replaceWithVoid();
    }

    /** Claims a request batch id for a deployment; false when it was counted before. */
    public Uni<Boolean> claimBatch(SqlClient client, String batchId, UUID deploymentId) {
        return client.preparedQuery("""
                INSERT INTO canary_request_batches (batch_id, deployment_id) VALUES ($1, $2)
                ON CONFLICT (batch_id) DO NOTHING RETURNING batch_id""")
                .execute(Tuple.of(batchId, deploymentId))
                .map(rows -> rows.rowCount() == 1);
    }

    /** The service's deployment in flight, its row share-locked so its stage cannot move until commit. */
    public Uni<CanaryDeployment> lockInFlightShared(SqlConnection connection, String service) {
        return inFlight(connection, service, " FOR SHARE");
    }

    /** Counts of one stage by arm ("canary", "stable"). */
    public Uni<Map<String, ArmCounts>> stageCounts(SqlClient client, UUID deploymentId, int stage) {
        return client.preparedQuery("""
                SELECT arm, bucket, requests, errors, max_latency_ms FROM canary_request_counts
                WHERE deployment_id = $1 AND stage = $2""")
                .execute(Tuple.of(deploymentId, stage))
                .map(rows -> {
                    long[][] buckets = { new long[LatencyHistogram.BOUNDS.length],
                            new long[LatencyHistogram.BOUNDS.length] };
                    long[] requests = new long[2];
                    long[] errors = new long[2];
                    double[] max = new double[2];
                    for (Row row : rows) {
                        int arm = "canary".equals(row.getString("arm")) ? 0 : 1;
                        int bucket = row.getInteger("bucket");
                        if (bucket >= 0 && bucket < LatencyHistogram.BOUNDS.length) {
                            buckets[arm][bucket] += row.getLong("requests");
                        }
                        requests[arm] += row.getLong("requests");
                        errors[arm] += row.getLong("errors");
                        max[arm] = Math.max(max[arm], row.getDouble("max_latency_ms"));
                    }
                    return Map.of("canary", new ArmCounts(requests[0], errors[0], buckets[0], max[0]),
                            "stable", new ArmCounts(requests[1], errors[1], buckets[1], max[1]));
                });
    }

    private List<CanaryDeployment> toDeployments(RowSet<Row> rows) {
        List<CanaryDeployment> deployments = new ArrayList<>();
        rows.forEach(row -> deployments.add(toDeployment(row)));
        return deployments;
    }

    private CanaryDeployment toDeployment(Row row) {
        try {
            return new CanaryDeployment(row.getUUID("id"), row.getString("service"), row.getString("version"),
                    CanaryDeployment.Strategy.fromWire(row.getString("strategy")),
                    json.readValue(row.getString("stages"), STAGES), row.getInteger("current_stage"),
                    row.getInteger("percentage"), CanaryDeployment.Status.fromWire(row.getString("status")),
                    instant(row.getOffsetDateTime("started_at")), instant(row.getOffsetDateTime("stage_started_at")),
                    instant(row.getOffsetDateTime("finished_at")), row.getString("rollback_reason"),
                    row.getLong("row_version"));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("canary_deployments.stages is not a stage list", e);
        }
    }

    private Map<String, Object> readMap(String text) {
        if (text == null) {
            return null;
        }
        try {
            return json.readValue(text, new TypeReference<Map<String, Object>>() {
            });
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("canary_deployments.final_metrics is not JSON", e);
        }
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A canary value could not be written as JSON", e);
        }
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }

    private static Instant instant(OffsetDateTime time) {
        return time == null ? null : time.toInstant();
    }
}
