package io.rollgate.rollouts;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.rollgate.support.Api;
import io.rollgate.support.Await;
import io.rollgate.support.Events;
import io.rollgate.support.Jobs;
import io.rollgate.support.Metrics;
import io.rollgate.support.TestDatabase;
import io.rollgate.support.TestFlags;
import io.rollgate.support.TestIds;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The automatic check runs every second in the test profile (rollgate.rollouts.check-interval). */
@QuarkusTest
class AutoRollbackTest {

    private final TestFlags flags = new TestFlags();

    @AfterEach
    void cleanUp() {
        flags.deleteAll();
    }

    private String fullRollout(Map<String, Object> threshold) {
        return fullRollout(flags, threshold);
    }

    /** A rollout of a new flag at 100 %, watched with {@code threshold}. */
    static String fullRollout(TestFlags flags, Map<String, Object> threshold) {
        String flag = flags.create();
        Api.admin().body(Map.of("reason", "test", "featureName", flag, "rollbackThreshold", threshold))
                .post("/api/admin/rollouts")
                .then().statusCode(201);
        Api.admin().body(Map.of("reason", "test")).post("/api/admin/rollouts/{f}/start", flag).then().statusCode(200);
        for (int i = 0; i < 3; i++) {
            Api.admin().body(Map.of("force", true, "reason", "everyone"))
                    .post("/api/admin/rollouts/{f}/advance", flag).then().statusCode(200);
        }
        return flag;
    }

    static Map<String, Object> rollout(String flag) {
        return Api.viewer().get("/api/admin/rollouts/{f}", flag).then().statusCode(200).extract().as(Map.class);
    }

    @Test
    void aPolicyRowThatDoesNotParseLeavesTheOtherRolloutsChecked() throws Exception {
        String broken = fullRollout(Map.of("errorRate", 0.05, "minSamples", 50, "consecutiveBreaches", 1));
        // edited by hand into something no policy reads as
        TestDatabase.update("UPDATE feature_rollouts SET policy = '{\"pauseAbove\": \"high\"}' WHERE flag_key = ?",
                broken);
        String flag = fullRollout(Map.of("errorRate", 0.05, "minSamples", 50, "consecutiveBreaches", 1,
                "timeWindow", 600_000));
        Events.send(Events.outcomes(flag, 90, 10));
        await(() -> "rolled_back".equals(rollout(flag).get("status")), "the automatic rollback of the other rollout");
        // and the broken one is still listed and watched, on the threshold it was created with
        assertEquals("completed", rollout(broken).get("status"));
        Api.viewer().get("/api/admin/rollouts").then().statusCode(200);
    }

    @Test
    void errorsAboveTheThresholdRollTheFeatureBackForEveryone() throws Exception {
        String flag = fullRollout(Map.of("errorRate", 0.05, "minSamples", 50, "consecutiveBreaches", 2,
                "timeWindow", 600_000));
        String customer = TestIds.customer();
        given().queryParam("customerId", customer).get("/api/widget/config")
                .then().body("t." + flag.substring(2), equalTo(true));
        double rollbacks = Metrics.value("rollgate_rollout_rollbacks_total", "trigger=\"automatic\"");

        Events.send(Events.outcomes(flag, 90, 10));

        await(() -> "rolled_back".equals(rollout(flag).get("status")), "the automatic rollback");
        Map<String, Object> rolledBack = rollout(flag);
        assertEquals("rolled_back", rolledBack.get("status"));
        String reason = (String) rolledBack.get("rollbackReason");
        assertTrue(reason.contains("10.00%") && reason.contains("100 samples") && reason.contains("PT10M"), reason);

        given().queryParam("customerId", customer).get("/api/widget/config")
                .then().body("t." + flag.substring(2), equalTo(false));
        List<Map<String, Object>> audit = TestDatabase.query("SELECT changed_by, "
                + "details->'metrics'->>'samples' AS samples, details->'metrics'->>'consecutiveBreaches' AS breaches "
                + "FROM feature_flag_changes WHERE flag_path = ? AND action = 'rollout.auto_rollback'", flag);
        assertEquals(List.of(Map.of("changed_by", "system:auto-rollback", "samples", "100", "breaches", "2")), audit);
        assertEquals(rollbacks + 1, Metrics.value("rollgate_rollout_rollbacks_total", "trigger=\"automatic\""));

        // two more checks after the rollback: none rolls it back again
        Jobs.awaitRuns("auto-rollback", 2);
        assertEquals(1, TestDatabase.query("SELECT 1 FROM feature_flag_changes WHERE flag_path = ? "
                + "AND action = 'rollout.auto_rollback'", flag).size(), "rolled back exactly once");
    }

    @Test
    void aBreachIsCountedButDoesNotRollBackBeforeTheStreakIsLongEnough() throws Exception {
        String flag = fullRollout(Map.of("errorRate", 0.05, "minSamples", 50, "consecutiveBreaches", 50));
        Events.send(Events.outcomes(flag, 50, 50));
        await(() -> (Integer) rollout(flag).get("consecutiveBreaches") >= 2, "a breach streak of two");
        Map<String, Object> state = rollout(flag);
        assertTrue((Integer) state.get("consecutiveBreaches") >= 2, state.toString());
        assertEquals("completed", state.get("status"));
    }

    @Test
    void tooFewSamplesOrNoDataNeverRollBack() throws Exception {
        String fewSamples = fullRollout(Map.of("errorRate", 0.05, "minSamples", 50, "consecutiveBreaches", 1));
        String noData = fullRollout(Map.of("errorRate", 0.05, "minSamples", 50, "consecutiveBreaches", 1));
        Events.send(Events.outcomes(fewSamples, 0, 49));
        // two checks that saw the 49 errors (and nothing for the other)
        Jobs.awaitRuns("auto-rollback", 2);
        assertEquals("completed", rollout(fewSamples).get("status"));
        assertEquals(0, rollout(fewSamples).get("consecutiveBreaches"));
        assertEquals("completed", rollout(noData).get("status"));
    }

    @Test
    void aRestartAfterAnAutomaticRollbackIsJudgedOnEventsFromTheRestartOn() throws Exception {
        String flag = fullRollout(Map.of("errorRate", 0.05, "minSamples", 50, "consecutiveBreaches", 1,
                "timeWindow", 3_600_000));
        Events.send(Events.outcomes(flag, 50, 50));
        await(() -> "rolled_back".equals(rollout(flag).get("status")), "the automatic rollback");

        Api.admin().body(Map.of("reason", "fixed the storage quota")).post("/api/admin/rollouts/{f}/restart", flag)
                .then().statusCode(200).body("status", equalTo("active")).body("tier", equalTo(1));
        Events.send(Events.outcomes(flag, 99, 1));
        // the check publishes the error rate it judged: 1 % is the fresh events alone (with the 50 errors
        // from before the rollback it would be 25 % and roll back again)
        String series = "feature=\"" + flag + "\"";
        await(() -> Math.abs(Metrics.value("rollgate_rollout_error_rate", series) - 0.01) < 1e-9,
                "a check that judged the fresh events");
        Map<String, Object> state = rollout(flag);
        assertEquals("active", state.get("status"));
        assertEquals(0, state.get("consecutiveBreaches"));
        Api.viewer().get("/api/admin/rollouts/{f}/stats", flag).then().statusCode(200)
                .body("errorCount", equalTo(1)).body("successCount", equalTo(99));
    }

    static void await(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
        Await.until(Duration.ofSeconds(10), Duration.ofMillis(100), condition, what);
    }
}
