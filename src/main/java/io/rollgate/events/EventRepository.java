package io.rollgate.events;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Rollout events: raw rows, per-minute counters, batch ids, windowed statistics, retention. On the SQL
 * client: batch inserts from arrays, counter upserts and window aggregates, at ingestion rates an entity
 * per row would not keep up with.
 */
@ApplicationScoped
public class EventRepository {

    /** What a day of raw events may be called: the names the migration and the partition function give. */
    private static final Pattern PARTITION_NAME = Pattern.compile("rollout_events_[a-z0-9_]+");

    private final Pool pool;

    public EventRepository(Pool pool) {
        this.pool = pool;
    }

    /**
     * Stores batches in one statement, so in one round trip and atomically without a transaction around it: claims
     * their ids (each a reporter's own), inserts the raw rows of the batches claimed now and adds those rows to the
     * per-minute counters of {@code writer}; answers the keys ({@link PreparedBatch#key()}) claimed now. The others
     * were claimed before, by a retry of the same batch or by another batch under the same name, and nothing of
     * theirs is stored. Batches must have distinct keys.
     * <p>
     * Each writer of a replica has counter rows of its own, so writers storing side by side do not wait for each
     * other's commit; rows are added in one order, so writers that share a row (of two replicas) lock them in one
     * order.
     */
    Uni<Set<String>> store(int writer, Collection<PreparedBatch> batches) {
        int n = batches.stream().mapToInt(PreparedBatch::size).sum();
        List<String> features = new ArrayList<>(n);
        List<String> customers = new ArrayList<>(n);
        List<String> types = new ArrayList<>(n);
        List<String> metadata = new ArrayList<>(n);
        List<OffsetDateTime> timestamps = new ArrayList<>(n);
        List<String> batchIds = new ArrayList<>(n);
        List<String> actors = new ArrayList<>(n);
        for (PreparedBatch batch : batches) {
            features.addAll(batch.features());
            customers.addAll(batch.customers());
            types.addAll(batch.types());
            metadata.addAll(batch.metadata());
            timestamps.addAll(batch.timestamps());
            batchIds.addAll(Collections.nCopies(batch.size(), batch.batchId()));
            actors.addAll(Collections.nCopies(batch.size(), batch.actor()));
        }
        return pool.preparedQuery("""
                WITH claimed AS (
                    INSERT INTO rollout_event_batches (batch_id, event_count, received_by, content_hash)
                    SELECT * FROM unnest($1::text[], $2::int[], $3::text[], $4::text[])
                    ON CONFLICT (received_by, batch_id) DO NOTHING RETURNING received_by, batch_id),
                raw AS (
                    INSERT INTO rollout_events (feature_name, customer_id, event, metadata, "timestamp", batch_id)
                    SELECT u.f, u.c, u.e, u.m::jsonb, u.t, u.b
                    FROM unnest($5::text[], $6::text[], $7::text[], $8::text[], $9::timestamptz[], $10::text[],
                                $11::text[]) AS u(f, c, e, m, t, b, r)
                    JOIN claimed k ON k.batch_id = u.b AND k.received_by = u.r
                    RETURNING feature_name, event, "timestamp"),
                counted AS (
                    INSERT INTO rollout_event_counts (feature_name, minute, event, count, writer)
                    SELECT feature_name, date_trunc('minute', "timestamp" AT TIME ZONE 'UTC') AT TIME ZONE 'UTC',
                           event, count(*), $12
                    FROM raw GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
                    ON CONFLICT (feature_name, minute, event, writer)
                    DO UPDATE SET count = rollout_event_counts.count + EXCLUDED.count)
                SELECT received_by, batch_id FROM claimed""")
                .execute(Tuple.tuple()
                        .addArrayOfString(batches.stream().map(PreparedBatch::batchId).toArray(String[]::new))
                        .addArrayOfInteger(batches.stream().map(PreparedBatch::size).toArray(Integer[]::new))
                        .addArrayOfString(batches.stream().map(PreparedBatch::actor).toArray(String[]::new))
                        .addArrayOfString(batches.stream().map(PreparedBatch::contentHash).toArray(String[]::new))
                        .addArrayOfString(features.toArray(String[]::new))
                        .addArrayOfString(customers.toArray(String[]::new))
                        .addArrayOfString(types.toArray(String[]::new))
                        .addArrayOfString(metadata.toArray(String[]::new))
                        .addArrayOfOffsetDateTime(timestamps.toArray(OffsetDateTime[]::new))
                        .addArrayOfString(batchIds.toArray(String[]::new))
                        .addArrayOfString(actors.toArray(String[]::new))
                        .addShort((short) writer))
                .map(rows -> {
                    Set<String> claimed = new HashSet<>();
                    rows.forEach(row -> claimed.add(PreparedBatch.key(row.getString(0), row.getString(1))));
                    return claimed;
                });
    }

    /**
     * The content hashes stored under these batches' keys (null for batches stored before hashes were kept); only
     * for keys that exist.
     */
    Uni<Map<String, String>> storedHashes(Collection<PreparedBatch> batches) {
        return pool.preparedQuery("""
                SELECT b.received_by, b.batch_id, b.content_hash
                FROM rollout_event_batches b JOIN unnest($1::text[], $2::text[]) AS k(received_by, batch_id)
                  ON b.received_by = k.received_by AND b.batch_id = k.batch_id""")
                .execute(Tuple.of(batches.stream().map(PreparedBatch::actor).toArray(String[]::new),
                        batches.stream().map(PreparedBatch::batchId).toArray(String[]::new)))
                .map(rows -> {
                    Map<String, String> hashes = new HashMap<>();
                    rows.forEach(row -> hashes.put(PreparedBatch.key(row.getString(0), row.getString(1)),
                            row.getString(2)));
                    return hashes;
                });
    }

    /**
     * Counts by type of a flag's events (canonical key) since {@code since}: whole minutes from the
     * per-minute counters, the first partial minute from the raw rows, so an event from before the bound
     * (say, before a restart) never counts after it.
     */
    public Uni<WindowStats> windowStats(String flagKey, Instant since) {
        return pool.preparedQuery(WINDOW.formatted("$1", "$2"))
                .execute(Tuple.of(flagKey, since.atOffset(ZoneOffset.UTC)))
                .map(rows -> {
                    List<Object[]> totals = new ArrayList<>();
                    rows.forEach(row -> totals.add(new Object[]{ row.getString("event"), row.getLong("total") }));
                    return windowStats(totals);
                });
    }

    /**
     * The same statistics, read on the connection of the current transaction: the automatic check decides on them
     * while it holds the rollouts' rows, and on a second pooled connection it could wait for the pool behind the
     * requests that wait for those rows.
     */
    public Uni<WindowStats> windowStatsInTransaction(String flagKey, Instant since) {
        return Panache.getSession().chain(session -> session
                .createNativeQuery(WINDOW.formatted("?1", "?2"), Object[].class)
                .setParameter(1, flagKey).setParameter(2, since.atOffset(ZoneOffset.UTC))
                .getResultList())
                .map(EventRepository::windowStats);
    }

    /** Events of a rollout since a moment: whole minutes from the counters, the first part-minute from raw rows. */
    private static final String WINDOW = """
            WITH bounds AS (SELECT CAST(%2$s AS timestamptz) AS since, rollgate_rollout_name(%1$s) AS name)
            SELECT event, CAST(sum(total) AS bigint) AS total FROM (
                SELECT c.event, c.count AS total FROM rollout_event_counts c, bounds b
                WHERE c.feature_name = b.name AND c.minute >= date_trunc('minute', b.since) + interval '1 minute'
                UNION ALL
                SELECT e.event, count(*) AS total FROM rollout_events e, bounds b
                WHERE e.feature_name = b.name AND e.event IN ('enabled', 'disabled', 'success', 'error')
                  AND e."timestamp" >= b.since
                  AND e."timestamp" < date_trunc('minute', b.since) + interval '1 minute'
                GROUP BY e.event) parts
            GROUP BY event""";

    private static WindowStats windowStats(List<Object[]> totals) {
        long success = 0;
        long error = 0;
        long enabled = 0;
        long disabled = 0;
        for (Object[] row : totals) {
            long total = ((Number) row[1]).longValue();
            switch ((String) row[0]) {
                case "success" -> success = total;
                case "error" -> error = total;
                case "enabled" -> enabled = total;
                default -> disabled = total;
            }
        }
        return new WindowStats(success, error, enabled, disabled);
    }

    /** Per-minute counts by type over the last {@code minutes} minutes, oldest first. */
    public Uni<List<Map<String, Object>>> timeline(String flagKey, int minutes) {
        return pool
                .preparedQuery(
                        """
                                SELECT minute, event, CAST(sum(count) AS bigint) AS count FROM rollout_event_counts
                                WHERE feature_name = rollgate_rollout_name($1) AND minute >= date_trunc('minute', now()) - $2 * interval '1 minute'
                                GROUP BY minute, event ORDER BY minute""")
                .execute(Tuple.of(flagKey, minutes))
                .map(rows -> {
                    Map<OffsetDateTime, Map<String, Object>> byMinute = new TreeMap<>();
                    for (Row row : rows) {
                        Map<String, Object> point = byMinute.computeIfAbsent(row.getOffsetDateTime("minute"),
                                minute -> {
                                    Map<String, Object> fresh = new LinkedHashMap<>();
                                    fresh.put("minute", minute.toInstant().toString());
                                    for (String type : new String[]{ "enabled", "disabled", "success", "error" }) {
                                        fresh.put(type, 0L);
                                    }
                                    return fresh;
                                });
                        point.put(row.getString("event"), row.getLong("count"));
                    }
                    return new ArrayList<>(byMinute.values());
                });
    }

    /** Distinct customers that reported the feature enabled since {@code since} (raw rows). */
    public Uni<Long> enabledCustomers(String flagKey, Instant since) {
        return pool.preparedQuery("""
                SELECT count(DISTINCT customer_id) AS customers FROM rollout_events
                WHERE feature_name = rollgate_rollout_name($1) AND event = 'enabled' AND "timestamp" >= $2""")
                .execute(Tuple.of(flagKey, since.atOffset(ZoneOffset.UTC)))
                .map(rows -> rows.iterator().next().getLong("customers"));
    }

    /**
     * Creates the days of raw events missing from the oldest the retention accepts events for at {@code at} to
     * {@code daysAhead} after that day; answers how many were created.
     */
    Uni<Integer> createPartitions(Instant at, Duration rawRetention, int daysAhead) {
        return pool.preparedQuery("SELECT rollgate_event_partitions_ahead($1, $2 * interval '1 millisecond', $3)")
                .execute(Tuple.of(at.atOffset(ZoneOffset.UTC), rawRetention.toMillis(), daysAhead))
                .map(rows -> rows.iterator().next().getInteger(0));
    }

    /** A day of raw events past the retention, and whether an earlier detach of it was left unfinished. */
    record ExpiredPartition(String name, boolean detaching, boolean attached) {
    }

    /**
     * The days of raw events whose every row is older than the retention at {@code at}; and a day's table left
     * detached but not dropped (the drop after a detach failed, or its replica stopped in between), which would
     * otherwise stay for good.
     */
    Uni<List<ExpiredPartition>> expiredPartitions(Instant at, Duration rawRetention) {
        return pool.preparedQuery("""
                WITH cutoff AS (SELECT CAST($1 AS timestamptz) - $2 * interval '1 millisecond' AS before)
                SELECT name, detaching, true AS attached FROM rollgate_event_partitions(), cutoff
                WHERE upper_bound <= cutoff.before
                UNION ALL
                SELECT c.relname::text, false, false FROM pg_class c, cutoff
                WHERE c.relkind = 'r' AND NOT c.relispartition
                  AND c.relnamespace = (SELECT relnamespace FROM pg_class WHERE oid = 'rollout_events'::regclass)
                  AND c.relname ~ '^rollout_events_[0-9]{8}$'
                  AND to_timestamp(substring(c.relname FROM 16), 'YYYYMMDD') AT TIME ZONE 'UTC' + interval '1 day'
                      <= cutoff.before""")
                .execute(Tuple.of(at.atOffset(ZoneOffset.UTC), rawRetention.toMillis()))
                .map(rows -> {
                    List<ExpiredPartition> expired = new ArrayList<>();
                    rows.forEach(row -> expired.add(
                            new ExpiredPartition(row.getString(0), row.getBoolean(1), row.getBoolean(2))));
                    return expired;
                });
    }

    /**
     * Drops a day of raw events whole. It is detached concurrently first, which waits for the transactions reading
     * or writing events without stopping them (dropping a partition outright locks the whole table); a detach a
     * lost connection left pending is finished instead. Neither runs inside a transaction.
     */
    Uni<Void> dropPartition(ExpiredPartition partition) {
        if (!PARTITION_NAME.matcher(partition.name()).matches()) {
            return Uni.createFrom().failure(new IllegalStateException("Not a day of raw events: " + partition.name()));
        }
        Uni<Void> detached = partition.attached()
                ? pool.query("ALTER TABLE rollout_events DETACH PARTITION " + partition.name()
                        + (partition.detaching() ? " FINALIZE" : " CONCURRENTLY")).execute().replaceWithVoid()
                : Uni.createFrom().voidItem();
        return detached.chain(() -> pool.query("DROP TABLE " + partition.name()).execute()).replaceWithVoid();
    }

    /** Counters whose minute is older than {@code $2} milliseconds before {@code $1}: by the minute's own index. */
    static final String DELETE_EXPIRED_COUNTERS = """
            DELETE FROM rollout_event_counts
            WHERE minute < CAST($1 AS timestamptz) - $2 * interval '1 millisecond'""";

    /** Deletes batch ids past the raw events' retention at {@code at} and counters past theirs. */
    Uni<Void> deleteOlderThan(Instant at, Duration rawRetention, Duration counterRetention) {
        // an hour's batch ids go in one statement, which may take longer than the service's statement timeout allows
        // any other: the hourly job of one replica is the one statement let run as long as it takes
        return pool.withTransaction(connection -> connection.query("SET LOCAL statement_timeout = 0").execute()
                .chain(() -> connection.preparedQuery("""
                        DELETE FROM rollout_event_batches
                        WHERE received_at < CAST($1 AS timestamptz) - $2 * interval '1 millisecond'""")
                        .execute(Tuple.of(at.atOffset(ZoneOffset.UTC), rawRetention.toMillis())))
                .chain(() -> connection.preparedQuery(DELETE_EXPIRED_COUNTERS)
                        .execute(Tuple.of(at.atOffset(ZoneOffset.UTC), counterRetention.toMillis())))
                .replaceWithVoid());
    }

}
