package io.rollgate.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import io.rollgate.support.Api;
import io.rollgate.support.Events;
import io.rollgate.support.Metrics;
import io.rollgate.support.TestDatabase;
import io.rollgate.support.TestFlags;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Reporters faster than the database: what waits to be written is bounded, what is refused is refused clearly, and
 * nothing acknowledged is lost. The database is made to take nothing for a while by a session holding a lock on the
 * batch table, as a long migration or a stuck maintenance job would.
 */
@QuarkusTest
@TestProfile(EventBackpressureTest.SmallQueue.class)
class EventBackpressureTest {

    private static final int BATCHES = 30;
    private static final int EVENTS = 100;
    private static final int BOUND = 300;

    /** One batch a write and room for three more waiting: the bound is met with a few dozen batches. */
    public static class SmallQueue implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("rollgate.events.max-queued-events", String.valueOf(BOUND),
                    "rollgate.events.events-per-write", String.valueOf(EVENTS));
        }
    }

    private final TestFlags flags = new TestFlags();

    @AfterEach
    void cleanUp() {
        flags.deleteAll();
    }

    @Test
    void aDatabaseThatTakesNothingCostsRefusalsNotMemoryAndLosesNothingAcknowledged() throws Exception {
        String flag = flags.create();
        List<Map<String, Object>> batches = new ArrayList<>();
        for (int i = 0; i < BATCHES; i++) {
            batches.add(Events.outcomes(flag, EVENTS - 10, 10));
        }
        double refusedBefore = Metrics.value("rollgate_event_batches_refused_total", "");
        List<Response> answers = new ArrayList<>();
        try (Connection session = TestDatabase
                .holding("LOCK TABLE rollout_event_batches IN SHARE ROW EXCLUSIVE MODE")) {
            ExecutorService reporters = Executors.newFixedThreadPool(BATCHES);
            CountDownLatch go = new CountDownLatch(1);
            try {
                List<Future<Response>> sent = new ArrayList<>();
                for (Map<String, Object> batch : batches) {
                    sent.add(reporters.submit(() -> {
                        go.await();
                        return Api.as(Api.INGEST_TOKEN).body(batch).post("/api/rollout-events");
                    }));
                }
                go.countDown();
                for (Future<Response> answer : sent) {
                    answers.add(answer.get(30, TimeUnit.SECONDS));
                }
            } finally {
                reporters.shutdownNow();
            }
            session.rollback();
        }
        int busy = 0;
        for (int i = 0; i < BATCHES; i++) {
            Response answer = answers.get(i);
            String id = (String) batches.get(i).get("batchId");
            List<?> stored = TestDatabase.query("SELECT 1 FROM rollout_event_batches WHERE batch_id = ?", id);
            if (answer.statusCode() == 200) {
                assertEquals(1, stored.size(), "an acknowledged batch is stored: " + id);
                continue;
            }
            // refused: 503 with a problem document that says when to come back and what to do
            assertEquals(503, answer.statusCode(), answer.asString());
            assertEquals(Api.PROBLEM_JSON, answer.contentType().split(";", 2)[0]);
            assertTrue(answer.header("Retry-After") != null, answer.asString());
            if (answer.asString().contains("Too many events wait")) {
                busy++;
                assertEquals(0, stored.size(), "a batch refused at the door is not stored: " + id);
            }
        }
        // 4 writers hold a batch each and 3 more fit the queue: the rest were refused at once
        assertTrue(busy >= BATCHES - 4 - BOUND / EVENTS - 1, busy + " refused at the door");
        assertTrue(Metrics.value("rollgate_event_batches_refused_total", "") - refusedBefore >= busy);
        assertEquals(0.0, Metrics.value("rollgate_event_queued_events", ""), "nothing is left waiting");

        // the reporters send what was refused again, under the same ids: each batch is stored once in the end
        for (int i = 0; i < BATCHES; i++) {
            if (answers.get(i).statusCode() != 200) {
                Api.as(Api.INGEST_TOKEN).body(batches.get(i)).post("/api/rollout-events").then().statusCode(200);
            }
        }
        assertEquals((long) BATCHES * EVENTS, Events.stored(flag));
        assertEquals((long) BATCHES * EVENTS, Events.counted(flag));
    }
}
