package io.rollgate.rollouts;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.rollgate.support.Api;
import io.rollgate.support.Await;
import io.rollgate.support.Events;
import io.rollgate.support.Metrics;
import io.rollgate.support.TestDatabase;
import io.rollgate.support.TestFlags;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The decision matrix running by itself: the automatic check runs every second in the test profile, and
 * the minimum time in a tier is 2 s.
 */
@QuarkusTest
class RolloutPolicyScenariosTest {

    private final TestFlags flags = new TestFlags();

    @AfterEach
    void cleanUp() {
        flags.deleteAll();
    }

    private String started(Map<String, Object> policy, List<String> whitelist) {
        String flag = flags.create();
        Api.admin().body(Map.of("featureName", flag, "policy", policy, "whitelistedCustomers", whitelist,
                "reason", "policy scenario")).post("/api/admin/rollouts").then().statusCode(201);
        Api.admin().body(Map.of("reason", "test")).post("/api/admin/rollouts/{f}/start", flag).then().statusCode(200);
        return flag;
    }

    private static Map<String, Object> rollout(String flag) {
        return Api.viewer().get("/api/admin/rollouts/{f}", flag).then().statusCode(200).extract().as(Map.class);
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        Await.until(Duration.ofSeconds(10), Duration.ofMillis(100), condition, what);
    }

    private static List<Map<String, Object>> audit(String flag, String action) {
        return TestDatabase.query("SELECT changed_by, reason, details::text AS details FROM feature_flag_changes "
                + "WHERE flag_path = ? AND action = ?", flag, action);
    }

    @Test
    void sevenPercentErrorsPauseTheRolloutForAnOperator() throws Exception {
        String flag = started(Map.of(), List.of());
        Events.send(Events.outcomes(flag, 93, 7));
        await(() -> "paused".equals(rollout(flag).get("status")), "the automatic pause");
        Map<String, Object> paused = rollout(flag);
        assertTrue(String.valueOf(paused.get("pauseReason")).contains("7.00%"), paused.toString());
        assertEquals(1, paused.get("pauses"));
        List<Map<String, Object>> entries = audit(flag, "rollout.auto_pause");
        assertEquals(1, entries.size());
        assertEquals("system:auto-pause", entries.get(0).get("changed_by"));
        assertTrue(entries.get(0).get("details").toString().contains("\"pauseErrorRate\": 0.05"));
        assertEquals(1.0, Metrics.value("rollgate_rollout_pauses_total",
                "feature=\"" + flag + "\",trigger=\"automatic\""));
        // an operator resumes once it is understood; the pause is on record
        Api.admin().body(Map.of("reason", "quota raised")).post("/api/admin/rollouts/{f}/resume", flag).then()
                .statusCode(200).body("status", equalTo("active"));
    }

    @Test
    void aRolloutStoredWithoutAPolicyIsShownAndJudgedByItsThresholdsEquivalent() throws Exception {
        String flag = started(Map.of(), List.of());
        // as a rollout created before every rollout had a policy is stored
        TestDatabase.update("UPDATE feature_rollouts SET policy = NULL, rollback_threshold = '{\"errorRate\": 0.2, "
                + "\"timeWindow\": 3600000, \"minSamples\": 50, \"consecutiveBreaches\": 1}' WHERE feature_name = ?",
                flag);
        Api.viewer().get("/api/admin/rollouts/{f}", flag).then().statusCode(200)
                .body("policy.rollbackErrorRate", equalTo(0.2f)).body("policy.rollbackAfter", equalTo(1))
                .body("policy.minSamples", equalTo(List.of(50, 50, 50, 50)));
        // 15 % errors: above the default policy's 10 %, but under this threshold's 20 %, in its pause band
        Events.send(Events.outcomes(flag, 85, 15));
        await(() -> "paused".equals(rollout(flag).get("status")), "the pause the equivalent policy makes");
        assertEquals(0, rollout(flag).get("rollbacks"));
    }

    @Test
    void fifteenPercentErrorsRollBackAtTheFirstCheck() throws Exception {
        String flag = started(Map.of(), List.of());
        Events.send(Events.outcomes(flag, 85, 15));
        await(() -> "rolled_back".equals(rollout(flag).get("status")), "the automatic rollback");
        Map<String, Object> rolledBack = rollout(flag);
        assertEquals(1, rolledBack.get("rollbacks"));
        assertTrue(String.valueOf(rolledBack.get("rollbackReason")).contains("15.00%"));
        List<Map<String, Object>> entries = audit(flag, "rollout.auto_rollback");
        assertEquals(1, entries.size());
        assertFalse(entries.get(0).get("details").toString().contains("consecutiveBreaches"),
                "no breach streak is waited for");
        assertEquals(0.0,
                Metrics.value("rollgate_rollout_checks_total", "feature=\"" + flag + "\",verdict=\"breach\""));
    }

    @Test
    void aHandfulOfInternalCustomersIsEnoughEvidenceInTierOne() throws Exception {
        List<String> internal = List.of("staff-1", "staff-2", "staff-3");
        String flag = started(Map.of(), internal);
        List<Map<String, Object>> events = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            events.add(Map.of("featureName", flag, "customerId", internal.get(i % 3), "event",
                    i < 4 ? "error" : "success"));
        }
        Events.send(Events.batch(events));
        await(() -> "rolled_back".equals(rollout(flag).get("status")), "the tier-1 rollback on 20 events");
    }

    @Test
    void strongSuccessFastTracksTheTimeInTier() {
        String strong = started(Map.of(), List.of());
        String plain = started(Map.of(), List.of());
        Events.send(Events.outcomes(strong, 99, 1));
        Events.send(Events.outcomes(plain, 97, 3));
        Api.viewer().get("/api/admin/rollouts/{f}/stats", strong).then().statusCode(200)
                .body("criteria.find { it.name == 'timeInTier' }.required", equalTo(">= PT1S (fast-tracked)"));
        Api.viewer().get("/api/admin/rollouts/{f}/stats", plain).then().statusCode(200)
                .body("criteria.find { it.name == 'timeInTier' }.required", equalTo(">= PT2S"));
        // when each may advance, for the countdown an operator sees: the fast track halves the wait
        assertEquals(Duration.ofSeconds(1), waitInTier(strong));
        assertEquals(Duration.ofSeconds(2), waitInTier(plain));
    }

    private static Duration waitInTier(String flag) {
        Map<String, Object> stats = Api.viewer().get("/api/admin/rollouts/{f}/stats", flag).then().statusCode(200)
                .extract().jsonPath().getMap("");
        return Duration.between(Instant.parse((String) stats.get("tierEnteredAt")),
                Instant.parse((String) stats.get("timeInTierMetAt")));
    }

    @Test
    void anOptedInRolloutAdvancesByItselfInsideItsWindowAndHoldsOutsideIt() throws Exception {
        DayOfWeek today = Instant.now().atZone(ZoneOffset.UTC).getDayOfWeek();
        Map<String, Object> always = Map.of("autoAdvance", true, "advanceWindow", Map.of("from", "00:00",
                "to", "23:59:59.999", "zone", "UTC"));
        Map<String, Object> elsewhen = Map.of("autoAdvance", true, "advanceWindow", Map.of("days",
                List.of(today.plus(3).name()), "from", "00:00", "to", "23:59:59.999", "zone", "UTC"));
        String inside = started(always, List.of());
        String outside = started(elsewhen, List.of());
        Events.send(Events.outcomes(inside, 100, 0));
        Events.send(Events.outcomes(outside, 100, 0));

        await(() -> Integer.valueOf(2).equals(rollout(inside).get("tier")), "the automatic advance");
        List<Map<String, Object>> entries = audit(inside, "rollout.auto_advance");
        assertEquals(1, entries.size());
        assertEquals("system:auto-advance", entries.get(0).get("changed_by"));
        assertTrue(entries.get(0).get("details").toString().contains("\"samples\": 100"));

        String series = "feature=\"" + outside + "\",verdict=\"outside_window\"";
        await(() -> Metrics.value("rollgate_rollout_checks_total", series) >= 1, "a check outside the window");
        assertEquals(1, rollout(outside).get("tier"));
        assertTrue(audit(outside, "rollout.auto_advance").isEmpty());
    }

    @Test
    void theOriginalThresholdMapsToAnEquivalentPolicyAndPoliciesAreValidated() {
        String flag = flags.create();
        // rolls back above 5 % on 2 checks in a row once 100 samples are in, no pause band below it, no fast track
        Api.admin().body(Map.of("reason", "test", "featureName", flag, "rollbackThreshold", Map.of("errorRate", 0.05)))
                .post("/api/admin/rollouts").then().statusCode(201)
                .body("policy.rollbackErrorRate", equalTo(0.05f)).body("policy.pauseErrorRate", equalTo(0.05f))
                .body("policy.rollbackAfter", equalTo(2))
                .body("policy.minSamples", equalTo(List.of(100, 100, 100, 100)))
                .body("policy.fastTrackFactor", equalTo(1.0f)).body("policy.autoAdvance", equalTo(false));
        String other = flags.create();
        Api.admin()
                .body(Map.of("reason", "test", "featureName", other, "policy",
                        Map.of("pauseErrorRate", 0.2, "rollbackErrorRate",
                                0.1)))
                .post("/api/admin/rollouts").then().statusCode(400)
                .body("errors[0].field", equalTo("policy.pauseErrorRate"));
        Api.viewer().get("/api/admin/rollouts/{f}", other).then().statusCode(404);
        Api.admin().body(Map.of("reason", "test", "featureName", other)).post("/api/admin/rollouts").then()
                .statusCode(201)
                .body("policy.pauseErrorRate", equalTo(0.05f)).body("policy.rollbackErrorRate", equalTo(0.1f))
                .body("policy.minSamples", equalTo(List.of(20, 100, 250, 500)))
                .body("policy.autoAdvance", equalTo(false));
        Api.admin().body(Map.of("policy", Map.of("autoAdvance", true), "reason", "let it run"))
                .put("/api/admin/rollouts/{f}/policy", other).then().statusCode(200)
                .body("policy.autoAdvance", equalTo(true));
        assertEquals(1, audit(other, "rollout.policy").size());
    }
}
