package io.rollgate.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.rollgate.support.Events;
import io.rollgate.support.TestDatabase;
import io.rollgate.support.TestFlags;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Raw events live in days: the days ahead exist before any event needs them, and retention drops a day whole. */
@QuarkusTest
class EventRetentionTest {

    private final TestFlags flags = new TestFlags();

    @Inject
    EventRetentionJob job;

    @AfterEach
    void cleanUp() {
        // whatever a test moved, the days around now are there again for the tests after it
        job.run(Instant.now()).await().atMost(Duration.ofSeconds(30));
        flags.deleteAll();
    }

    /** Whether one partition holds the whole UTC day starting at {@code day}. */
    private static boolean covered(OffsetDateTime day) {
        return !TestDatabase.query("""
                SELECT 1 FROM rollgate_event_partitions()
                WHERE coalesce(lower_bound <= ?, true) AND upper_bound >= ?""", day, day.plusDays(1)).isEmpty();
    }

    private static OffsetDateTime today() {
        return Instant.now().atOffset(ZoneOffset.UTC).truncatedTo(ChronoUnit.DAYS);
    }

    @Test
    void theDaysAheadExistAndRetentionDropsAnExpiredDayWholeKeepingItsCounters() {
        Instant now = Instant.now();
        job.run(now).await().atMost(Duration.ofSeconds(30));
        for (int ahead = 0; ahead <= EventRetentionJob.DAYS_AHEAD; ahead++) {
            assertTrue(covered(today().plusDays(ahead)), "day " + ahead + " after today has a partition");
        }
        String flag = flags.create();
        Events.send(Events.outcomes(flag, 8, 2));
        assertEquals(10, Events.stored(flag));

        // ten days on, with the retention of 7 days: today's events are past it, and go with their day
        Instant later = now.plus(Duration.ofDays(10));
        job.run(later).await().atMost(Duration.ofSeconds(30));
        assertEquals(0, Events.stored(flag), "the expired day was dropped with its events");
        assertEquals(10, Events.counted(flag), "counters are kept longer than raw events");
        List<Map<String, Object>> expired = TestDatabase.query("""
                SELECT name FROM rollgate_event_partitions() WHERE upper_bound <= ?""",
                later.minus(Duration.ofDays(7)).atOffset(ZoneOffset.UTC));
        assertEquals(List.of(), expired, "no day past the retention is left");
        for (int day = 3; day <= 10 + EventRetentionJob.DAYS_AHEAD; day++) {
            assertTrue(covered(today().plusDays(day)), "day " + day + " after today has a partition");
        }

        // and at the true time again, today has a day to be stored in
        job.run(now).await().atMost(Duration.ofSeconds(30));
        assertTrue(covered(today()));
        Events.send(Events.outcomes(flag, 3, 0));
        assertEquals(3, Events.stored(flag));
    }

    @Test
    void theCountersRetentionFindsExpiredMinutesByTheirIndex() throws Exception {
        // the planner reads a small table whole whatever its indexes: with that ruled out, the plan shows whether
        // the hourly statement has an index to find an hour of 90-day-old minutes by, or would read every counter
        StringBuilder plan = new StringBuilder();
        try (Connection connection = TestDatabase.connect(); Statement statement = connection.createStatement()) {
            statement.execute("SET enable_seqscan = off");
            statement.execute(
                    "PREPARE expired_counters(timestamptz, bigint) AS " + EventRepository.DELETE_EXPIRED_COUNTERS);
            try (ResultSet rows = statement.executeQuery(
                    "EXPLAIN EXECUTE expired_counters(now(), " + Duration.ofDays(90).toMillis() + ")")) {
                while (rows.next()) {
                    plan.append(rows.getString(1)).append('\n');
                }
            }
        }
        assertTrue(plan.toString().contains("rollout_event_counts_minute_idx"), plan.toString());
    }

    @Test
    void aDayLeftDetachedButNotDroppedIsDroppedOnceItIsPastTheRetention() throws Exception {
        // as a drop that failed after its detach leaves it: a day's table outside rollout_events
        TestDatabase.update("DROP TABLE IF EXISTS rollout_events_20200101");
        TestDatabase.update("CREATE TABLE rollout_events_20200101 (LIKE rollout_events INCLUDING DEFAULTS)");
        job.run(Instant.now()).await().atMost(Duration.ofSeconds(30));
        assertEquals(List.of(), TestDatabase.query("SELECT 1 FROM pg_class WHERE relname = 'rollout_events_20200101'"),
                "the stray day was dropped");
        assertTrue(covered(today()), "the days in use are untouched");
    }
}
