package io.rollgate.events;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import io.rollgate.support.Api;
import io.rollgate.support.Events;
import io.rollgate.support.Metrics;
import io.rollgate.support.TestDatabase;
import io.rollgate.support.TestFlags;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
class EventResourceTest {

    private final TestFlags flags = new TestFlags();

    @AfterEach
    void cleanUp() {
        flags.deleteAll();
    }

    @Test
    void aBatchIsStoredWithItsCountersAndARetryIsNotCountedTwice() {
        String flag = flags.create();
        double before = Metrics.value("rollgate_rollout_events_ingested_total", "type=\"error\"");
        Map<String, Object> batch = Events.outcomes(flag, 30, 5);
        Api.as(Api.INGEST_TOKEN).body(batch).post("/api/rollout-events")
                .then().statusCode(200).body("accepted", equalTo(35)).body("duplicate", equalTo(false));
        Api.as(Api.INGEST_TOKEN).body(batch).post("/api/rollout-events")
                .then().statusCode(200).body("accepted", equalTo(35)).body("duplicate", equalTo(true));
        assertEquals(35, Events.stored(flag));
        assertEquals(35, Events.counted(flag));
        assertEquals(5.0, Metrics.value("rollgate_rollout_events_ingested_total", "type=\"error\"") - before);
        assertEquals("storage quota exceeded",
                TestDatabase.query("SELECT metadata->>'message' AS m FROM rollout_events "
                        + "WHERE feature_name = ? AND event = 'error' LIMIT 1", flag).get(0).get("m"));
    }

    @Test
    void batchesSentTogetherShareWritesAndEachIsStoredAndCountedOnce() throws Exception {
        String flag = flags.create();
        // 40 batches at once, ten of them sent twice at the same moment (a reporter's retry racing the first try)
        List<Map<String, Object>> batches = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            batches.add(Events.outcomes(flag, 9, 1));
        }
        List<Map<String, Object>> sent = new ArrayList<>(batches);
        sent.addAll(batches.subList(0, 10));
        double writtenBefore = Metrics.value("rollgate_event_write_batches_sum", "");
        ExecutorService reporters = Executors.newFixedThreadPool(25);
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<Future<Map<String, Object>>> answers = new ArrayList<>();
            for (Map<String, Object> batch : sent) {
                answers.add(reporters.submit(() -> {
                    go.await();
                    return Api.as(Api.INGEST_TOKEN).body(batch).post("/api/rollout-events").then().statusCode(200)
                            .extract().jsonPath().getMap("");
                }));
            }
            go.countDown();
            Map<Object, Long> storedNow = new HashMap<>();
            for (Future<Map<String, Object>> answer : answers) {
                Map<String, Object> ack = answer.get(30, TimeUnit.SECONDS);
                storedNow.merge(ack.get("batchId"), Boolean.FALSE.equals(ack.get("duplicate")) ? 1L : 0L, Long::sum);
            }
            // every batch id acknowledged as stored exactly once, duplicates acknowledged as such
            assertEquals(40, storedNow.size());
            assertEquals(Set.of(1L), Set.copyOf(storedNow.values()));
        } finally {
            reporters.shutdownNow();
        }
        assertEquals(400, Events.stored(flag));
        assertEquals(400, Events.counted(flag));
        assertEquals(50.0, Metrics.value("rollgate_event_write_batches_sum", "") - writtenBefore);
    }

    @Test
    void aBatchIdIsTheReportersOwnAndOtherEventsUnderAUsedIdAreRefused() {
        String flag = flags.create();
        String second = Api.admin().body(Map.of("reason", "second reporter", "name",
                "reporter-" + java.util.UUID.randomUUID().toString().substring(0, 8), "role", "ingest"))
                .post("/api/admin/tokens").then().statusCode(201).extract().path("token");
        // both reporters count their batches from one: a shared naming scheme
        String id = "batch-0001-" + java.util.UUID.randomUUID().toString().substring(0, 8);
        Map<String, Object> first = Map.of("batchId", id, "events",
                List.of(Map.of("featureName", flag, "customerId", "c-a", "event", "success")));
        Map<String, Object> other = Map.of("batchId", id, "events",
                List.of(Map.of("featureName", flag, "customerId", "c-b", "event", "error")));
        Api.as(Api.INGEST_TOKEN).body(first).post("/api/rollout-events").then().statusCode(200)
                .body("duplicate", equalTo(false));
        Api.as(second).body(other).post("/api/rollout-events").then().statusCode(200)
                .body("duplicate", equalTo(false));
        assertEquals(2, Events.stored(flag), "another reporter's batch of the same name is its own");
        // the first reporter sends other events under the id it used: a mistake to refuse, not a retry to drop
        Api.as(Api.INGEST_TOKEN).body(other).post("/api/rollout-events").then().statusCode(409)
                .contentType(Api.PROBLEM_JSON).body("detail", org.hamcrest.Matchers.containsString(id));
        // and the same events again are a retry
        Api.as(Api.INGEST_TOKEN).body(first).post("/api/rollout-events").then().statusCode(200)
                .body("duplicate", equalTo(true));
        assertEquals(2, Events.stored(flag));
        assertEquals(2, Events.counted(flag));
    }

    @Test
    void eventsAreStoredUnderTheRolloutNameTheRunbooksQuery() {
        String customer = "c-alias-" + java.util.UUID.randomUUID().toString().substring(0, 8);
        Events.send(Events.batch(List.of(
                Map.of("featureName", "phase2_enhanced_storage", "customerId", customer, "event", "enabled"),
                Map.of("featureName", "sessionPersistence.phase2.enhancedStorage", "customerId", customer,
                        "event", "error"))));
        // the runbooks' query, by the feature's rollout name, finds both whatever name the reporter used
        assertEquals(2, TestDatabase.query("SELECT 1 FROM rollout_events WHERE customer_id = ? "
                + "AND feature_name = 'phase2_enhanced_storage'", customer).size());
    }

    @Test
    void oneBadEventRefusesTheWholeBatchNamingIt() {
        String flag = flags.create();
        List<Map<String, Object>> events = new ArrayList<>();
        events.add(Map.of("featureName", flag, "customerId", "c-1", "event", "success"));
        events.add(Map.of("featureName", "no.such.flag", "customerId", "c-2", "event", "success"));
        events.add(Map.of("featureName", flag, "customerId", "c-3", "event", "exploded"));
        events.add(Map.of("featureName", flag, "customerId", "c-4", "event", "error",
                "timestamp", OffsetDateTime.now(java.time.ZoneOffset.UTC).plusHours(2).toString()));
        events.add(Map.of("featureName", flag, "customerId", "bad id", "event", "error"));
        Map<String, Object> batch = Events.batch(events);
        Api.as(Api.INGEST_TOKEN).body(batch).post("/api/rollout-events")
                .then().statusCode(400).contentType(Api.PROBLEM_JSON)
                .body("errors.field", equalTo(List.of("events[1].featureName", "events[2].event",
                        "events[3].timestamp", "events[4].customerId")));
        assertEquals(0, Events.stored(flag));
        assertEquals(0, Events.counted(flag));

        // the batch id was not used up: the corrected batch goes through under it
        Map<String, Object> corrected = Map.of("batchId", batch.get("batchId"), "events", List.of(events.get(0)));
        Api.as(Api.INGEST_TOKEN).body(corrected).post("/api/rollout-events")
                .then().statusCode(200).body("duplicate", equalTo(false));
        assertEquals(1, Events.stored(flag));
    }

    @Test
    void malformedBatchesAreRefused() {
        Api.as(Api.INGEST_TOKEN).body(Map.of("events", List.of())).post("/api/rollout-events")
                .then().statusCode(400).body("errors.field", equalTo(List.of("batchId", "events")));
        Api.as(Api.INGEST_TOKEN).body(Map.of("batchId", "b-1", "events", List.of(Map.of("featureName", "x",
                "customerId", "c", "event", "success", "timestamp", "yesterday"))))
                .post("/api/rollout-events").then().statusCode(400).contentType(Api.PROBLEM_JSON);
        List<Map<String, Object>> tooMany = new ArrayList<>();
        for (int i = 0; i < 1001; i++) {
            tooMany.add(Map.of("featureName", "phase1_auto_restore", "customerId", "c", "event", "success"));
        }
        Api.as(Api.INGEST_TOKEN).body(Events.batch(tooMany)).post("/api/rollout-events")
                .then().statusCode(400).body("errors[0].field", equalTo("events"));
    }

    @Test
    void onlyReportersAndAdminsMayPostEvents() {
        Map<String, Object> batch = Events.batch(List.of(Map.of("featureName", "phase1_auto_restore",
                "customerId", "c-auth", "event", "success")));
        given().contentType("application/json").body(batch).post("/api/rollout-events").then().statusCode(401);
        Api.viewer().body(batch).post("/api/rollout-events").then().statusCode(403);
        Api.admin().body(batch).post("/api/rollout-events").then().statusCode(200);
        // and the ingest token has no business changing flags
        Api.as(Api.INGEST_TOKEN).body(Map.of("featureName", "phase1_auto_restore", "enabled", false, "global", true,
                "reason", "x")).post("/api/admin/feature-flags").then().statusCode(403);
    }
}
