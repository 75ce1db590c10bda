package io.rollgate.support;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Event batches as reporters send them. */
public final class Events {

    private Events() {
    }

    /** {@code successes} success events and {@code errors} error events for one feature, distinct customers. */
    public static Map<String, Object> outcomes(String feature, int successes, int errors) {
        List<Map<String, Object>> events = new ArrayList<>();
        for (int i = 0; i < successes; i++) {
            events.add(Map.of("featureName", feature, "customerId", "c-" + i, "event", "success"));
        }
        for (int i = 0; i < errors; i++) {
            events.add(Map.of("featureName", feature, "customerId", "c-e" + i, "event", "error",
                    "metadata", Map.of("message", "storage quota exceeded")));
        }
        return batch(events);
    }

    public static Map<String, Object> batch(List<Map<String, Object>> events) {
        return Map.of("batchId", "batch-" + UUID.randomUUID(), "events", events);
    }

    /** Sends batches of at most 500 events with the ingest token; every batch must be acknowledged. */
    public static void send(Map<String, Object> batch) {
        Api.as(Api.INGEST_TOKEN).body(batch).post("/api/rollout-events").then().statusCode(200);
    }

    /** The raw rows stored for a feature. */
    public static long stored(String feature) {
        return (Long) TestDatabase.query("SELECT count(*) AS n FROM rollout_events WHERE feature_name = ?", feature)
                .get(0).get("n");
    }

    /** What a feature's per-minute counters add up to, every writer's rows together. */
    public static long counted(String feature) {
        Object sum = TestDatabase.query("SELECT sum(count) AS n FROM rollout_event_counts WHERE feature_name = ?",
                feature).get(0).get("n");
        return sum == null ? 0 : ((Number) sum).longValue();
    }

    /** Waits until the rollout's stats, read through the API, show {@code expected} at {@code path}. */
    public static void awaitStats(String flag, String path, Object expected, String what)
            throws InterruptedException {
        Await.until(Duration.ofSeconds(15), Duration.ofMillis(100), () -> expected.equals(
                Api.viewer().get("/api/admin/rollouts/{f}/stats", flag).then().statusCode(200).extract().path(path)),
                what);
    }
}
