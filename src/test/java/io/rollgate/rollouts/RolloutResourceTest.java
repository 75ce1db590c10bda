package io.rollgate.rollouts;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.rollgate.support.Api;
import io.rollgate.support.Events;
import io.rollgate.support.Metrics;
import io.rollgate.support.TestDatabase;
import io.rollgate.support.TestFlags;
import io.rollgate.support.TestIds;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
class RolloutResourceTest {

    private final TestFlags flags = new TestFlags();

    @AfterEach
    void cleanUp() {
        flags.deleteAll();
    }

    private String rollout(List<String> whitelist, List<String> blacklist, Map<String, Object> threshold) {
        String flag = flags.create();
        Api.admin().body(Map.of("featureName", flag, "whitelistedCustomers", whitelist,
                "blacklistedCustomers", blacklist, "rollbackThreshold", threshold, "reason", "pilot"))
                .post("/api/admin/rollouts")
                .then().statusCode(201).body("status", equalTo("draft")).body("tier", equalTo(0));
        return flag;
    }

    private static Response action(String flag, String action, Map<String, Object> body) {
        return Api.admin().body(body).post("/api/admin/rollouts/{f}/" + action, flag);
    }

    private static boolean enabledFor(String flag, String customer) {
        return Api.viewer().queryParam("customerId", customer).get("/api/admin/feature-flags")
                .then().statusCode(200).extract()
                .path("features.find { it.key == '" + flag + "' }.value");
    }

    private static String sourceFor(String flag, String customer) {
        return Api.viewer().queryParam("customerId", customer).get("/api/admin/feature-flags")
                .then().statusCode(200).extract()
                .path("features.find { it.key == '" + flag + "' }.source");
    }

    @Test
    void whatAGetAnswersCanBePutBackAndOnlyTheConfigurationMoves() {
        // a threshold-only rollout: its policy is the threshold's equivalent, and sending it back keeps it so
        String flag = rollout(List.of("internal-1"), List.of(), Map.of("errorRate", 0.02, "minSamples", 10));
        action(flag, "start", Map.of("reason", "internal testing")).then().statusCode(200);
        Map<String, Object> read = Api.viewer().get("/api/admin/rollouts/{f}", flag).then().statusCode(200)
                .extract().as(Map.class);
        Map<String, Object> unchanged = new java.util.HashMap<>(read);
        unchanged.put("reason", "no change");
        Api.admin().body(unchanged).put("/api/admin/rollouts/{f}", flag).then().statusCode(200)
                .body("version", equalTo(read.get("version")));
        assertEquals(0, TestDatabase.query("SELECT id FROM feature_flag_changes WHERE flag_path = ? "
                + "AND action = 'rollout.update'", flag).size(), "an unchanged body is not a change");

        // a changed list is taken; the state fields sent along (a tier it is not at, say) are not
        Map<String, Object> changed = new java.util.HashMap<>(unchanged);
        changed.put("whitelistedCustomers", List.of("internal-1", "internal-2"));
        changed.put("currentTier", "tier_4_all");
        changed.put("status", "completed");
        changed.put("reason", "one more tester");
        Map<String, Object> after = Api.admin().body(changed).put("/api/admin/rollouts/{f}", flag).then()
                .statusCode(200).body("whitelistedCustomers", equalTo(List.of("internal-1", "internal-2")))
                .body("currentTier", equalTo("tier_1_internal")).body("status", equalTo("active"))
                .extract().as(Map.class);
        assertEquals(read.get("policy"), after.get("policy"));
        assertEquals(List.of(Map.of("reason", "one more tester")), TestDatabase.query("SELECT reason FROM "
                + "feature_flag_changes WHERE flag_path = ? AND action = 'rollout.update'", flag));
        assertTrue(enabledFor(flag, "internal-2"));

        // the body read before that change is now stale, and another rollout's name is not a move
        Api.admin().body(changed).put("/api/admin/rollouts/{f}", flag).then().statusCode(409);
        Map<String, Object> renamed = new java.util.HashMap<>(changed);
        renamed.remove("version");
        renamed.put("featureName", "someone.else");
        Api.admin().body(renamed).put("/api/admin/rollouts/{f}", flag).then().statusCode(400)
                .body("errors.field", hasItem("featureName"));
    }

    @Test
    void createStartAndReadTheConfiguration() {
        String flag = rollout(List.of("internal-1"), List.of(), Map.of("errorRate", 0.02, "minSamples", 10));
        Api.admin().body(Map.of("featureName", flag, "reason", "again")).post("/api/admin/rollouts")
                .then().statusCode(409).contentType(Api.PROBLEM_JSON);
        action(flag, "start", Map.of("reason", "internal testing")).then().statusCode(200)
                .body("currentTier", equalTo("tier_1_internal")).body("status", equalTo("active"))
                .body("startedAt", notNullValue());
        Api.viewer().get("/api/admin/rollouts/{f}", flag).then().statusCode(200)
                .body("rollbackThreshold.errorRate", equalTo(0.02f))
                .body("rollbackThreshold.minSamples", equalTo(10))
                .body("rollbackThreshold.timeWindow", equalTo(3_600_000))
                .body("rollbackThreshold.consecutiveBreaches", equalTo(2))
                .body("whitelistedCustomers", equalTo(List.of("internal-1")));
        Api.viewer().get("/api/admin/rollouts").then().statusCode(200).body("featureName", hasItem(flag));

        assertEquals(1.0, Metrics.value("rollgate_rollout_tier", "feature=\"" + flag + "\""));
        assertEquals(1.0, Metrics.value("rollgate_rollout_status", "feature=\"" + flag + "\",status=\"active\""));

        // tier 1: the whitelist only
        assertTrue(enabledFor(flag, "internal-1"));
        assertEquals("rollout", sourceFor(flag, "internal-1"));
        assertEquals(false, enabledFor(flag, TestIds.customer()));
    }

    @Test
    void anEmergencyRollbackGoesThroughWhateverChangedSinceThePageWasRead() {
        String flag = rollout(List.of(), List.of(), Map.of());
        Api.admin().body(Map.of("reason", "go")).post("/api/admin/rollouts/{f}/start", flag).then().statusCode(200);
        int read = Api.viewer().get("/api/admin/rollouts/{f}", flag).then().extract().path("version");
        // a colleague pauses meanwhile: a stale version still holds back other steps...
        Api.admin().body(Map.of("reason", "looking")).post("/api/admin/rollouts/{f}/pause", flag).then()
                .statusCode(200);
        Api.admin().body(Map.of("reason", "carry on", "version", read)).post("/api/admin/rollouts/{f}/resume", flag)
                .then().statusCode(409);
        // ...but not the emergency
        Api.admin().body(Map.of("reason", "incident", "version", read)).post("/api/admin/rollouts/{f}/rollback", flag)
                .then().statusCode(200).body("status", equalTo("rolled_back"));
    }

    @Test
    void badRolloutsAreRefused() {
        String flag = flags.create();
        Api.admin().body(Map.of("reason", "test", "featureName", "nothing.like.this")).post("/api/admin/rollouts")
                .then().statusCode(400).body("errors[0].field", equalTo("featureName"));
        Api.admin().body(Map.of("reason", "test", "featureName", flag, "whitelistedCustomers", List.of("ok", "not ok"),
                "rollbackThreshold", Map.of("errorRate", 1.5, "minSamples", 0)))
                .post("/api/admin/rollouts")
                .then().statusCode(400)
                .body("errors.field", containsInAnyOrder("whitelistedCustomers[1]", "rollbackThreshold.errorRate",
                        "rollbackThreshold.minSamples"));
        Api.admin().get("/api/admin/rollouts/{f}", flag).then().statusCode(404);
        Api.admin()
                .body(Map.of("reason", "test", "featureName", flag, "rollbackThreshold", Map.of("errorRate", "high")))
                .post("/api/admin/rollouts").then().statusCode(400);
    }

    @Test
    void advanceIsRefusedWithTheUnmetCriteriaThenAllowedOnceTheyHold() throws Exception {
        String flag = rollout(List.of(), List.of(), Map.of("minSamples", 20));
        action(flag, "start", Map.of("reason", "test start")).then().statusCode(200);

        action(flag, "advance", Map.of("reason", "test advance")).then().statusCode(409).contentType(Api.PROBLEM_JSON)
                .body("unmetCriteria.name", containsInAnyOrder("minSamples", "errorRate", "successRate", "timeInTier"));

        Events.send(Events.outcomes(flag, 99, 1));
        Events.awaitStats(flag, "criteria.findAll { !it.met }.size()", 0,
                "every criterion met (time in tier included)");
        Api.viewer().get("/api/admin/rollouts/{f}/stats", flag).then().statusCode(200)
                .body("successCount", equalTo(99)).body("errorCount", equalTo(1))
                .body("errorRate", equalTo(0.01f)).body("successRate", equalTo(0.99f))
                .body("criteria.findAll { !it.met }", equalTo(List.of()));
        action(flag, "advance", Map.of("reason", "test advance")).then().statusCode(200)
                .body("currentTier", equalTo("tier_2_early_adopters")).body("percentage", equalTo(10));

        List<Map<String, Object>> audit = TestDatabase.query("SELECT action, changed_by, details::text AS details "
                + "FROM feature_flag_changes WHERE scope = 'rollout' AND flag_path = ? ORDER BY id", flag);
        assertEquals(List.of("rollout.create", "rollout.start", "rollout.advance"),
                audit.stream().map(row -> row.get("action")).toList());
        assertTrue(audit.get(2).get("details").toString().contains("\"tier\": 2"), audit.get(2).toString());
    }

    @Test
    void aHighErrorRateRefusesTheAdvance() throws Exception {
        // a long breach streak keeps the automatic check from rolling it back while the test looks
        String flag = rollout(List.of(), List.of(), Map.of("minSamples", 20, "consecutiveBreaches", 100));
        action(flag, "start", Map.of("reason", "test start")).then().statusCode(200);
        Events.send(Events.outcomes(flag, 90, 10));
        Events.awaitStats(flag, "criteria.findAll { !it.met }.name.sort().join(',')", "errorRate,successRate",
                "the events counted and the time in tier served");
        action(flag, "advance", Map.of("reason", "test advance")).then().statusCode(409)
                .body("unmetCriteria.name", containsInAnyOrder("errorRate", "successRate"))
                .body("unmetCriteria.find { it.name == 'errorRate' }.actual", equalTo("10.00%"));
    }

    @Test
    void aForcedAdvanceNeedsAReasonAndIsAuditedAsForced() {
        String flag = rollout(List.of(), List.of(), Map.of());
        action(flag, "start", Map.of("reason", "test start")).then().statusCode(200);
        action(flag, "advance", Map.of("force", true)).then().statusCode(400).body("errors[0].field",
                equalTo("reason"));
        action(flag, "advance", Map.of("force", true, "reason", "launch day")).then().statusCode(200)
                .body("tier", equalTo(2));
        List<Map<String, Object>> audit = TestDatabase.query("SELECT action, reason FROM feature_flag_changes "
                + "WHERE flag_path = ? AND action LIKE 'rollout.advance%'", flag);
        assertEquals(List.of(Map.of("action", "rollout.advance.forced", "reason", "launch day")), audit);
    }

    @Test
    void bucketingIsMonotonicAcrossTiersAndTheBlacklistIsNeverEnabled() {
        String flag = rollout(List.of("vip"), List.of("opted-out"), Map.of());
        action(flag, "start", Map.of("reason", "test start")).then().statusCode(200);
        Set<String> previous = new HashSet<>();
        int[] expected = { 10, 50 };
        for (int step = 0; step < 2; step++) {
            action(flag, "advance", Map.of("force", true, "reason", "test")).then().statusCode(200)
                    .body("percentage", equalTo(expected[step]));
            Set<String> enabled = new HashSet<>();
            for (int i = 0; i < 200; i++) {
                String customer = "bucket-customer-" + i;
                Map<String, Object> decision = Api.viewer().queryParam("customerId", customer)
                        .get("/api/admin/rollouts/{f}/decision", flag).then().statusCode(200).extract().as(Map.class);
                if ((Boolean) decision.get("enabled")) {
                    enabled.add(customer);
                    assertTrue((Integer) decision.get("bucket") <= expected[step], decision.toString());
                }
            }
            assertTrue(enabled.containsAll(previous), "a customer enabled at a lower tier stays enabled");
            previous = enabled;
        }
        assertTrue(previous.size() > 60 && previous.size() < 140, "about half of 200 at 50%: " + previous.size());
        action(flag, "advance", Map.of("force", true, "reason", "full")).then().statusCode(200)
                .body("status", equalTo("completed"));
        assertTrue(enabledFor(flag, TestIds.customer()));
        assertEquals(false, enabledFor(flag, "opted-out"));
        Api.viewer().queryParam("customerId", "opted-out").get("/api/admin/rollouts/{f}/decision", flag)
                .then().body("enabled", equalTo(false)).body("reason", equalTo("blacklisted"));
        Api.viewer().queryParam("customerId", "vip").get("/api/admin/rollouts/{f}/decision", flag)
                .then().body("enabled", equalTo(true)).body("reason", equalTo("whitelisted"));
    }

    @Test
    void rollbackTurnsTheFeatureOffForEveryoneEvenWithOverridesAndRestartBeginsAgain() {
        String flag = rollout(List.of("vip"), List.of(), Map.of());
        action(flag, "start", Map.of("reason", "test start")).then().statusCode(200);
        String customer = TestIds.customer();
        Api.admin().body(Map.of("flags", Map.of("t", Map.of(flag.substring(2), true)), "reason", "beta"))
                .put("/api/admin/customers/{id}/flags", customer).then().statusCode(200);
        assertTrue(enabledFor(flag, customer));
        assertEquals("customer_override", sourceFor(flag, customer));

        Api.admin().body(Map.of("featureName", flag)).post("/api/admin/rollout/rollback")
                .then().statusCode(400).body("errors[0].field", equalTo("reason"));
        Api.admin().body(Map.of("featureName", flag, "reason", "High error rate detected"))
                .post("/api/admin/rollout/rollback")
                .then().statusCode(200).body("status", equalTo("rolled_back")).body("tier", equalTo(0))
                .body("percentage", equalTo(0)).body("rollbackReason", equalTo("High error rate detected"));
        assertEquals(false, enabledFor(flag, customer));
        assertEquals("disabled", sourceFor(flag, customer));
        assertEquals(false, enabledFor(flag, "vip"));
        given().queryParam("customerId", customer).get("/api/widget/config").then().statusCode(200)
                .body("t." + flag.substring(2), equalTo(false));

        Api.admin().body(Map.of("reason", "test", "featureName", flag)).post("/api/admin/rollout/advance").then()
                .statusCode(409);
        action(flag, "restart", Map.of("reason", "fixed")).then().statusCode(200)
                .body("tier", equalTo(1)).body("status", equalTo("active"));
        assertTrue(enabledFor(flag, "vip"));
    }

    @Test
    void pauseStopsAdvancingUntilResumed() {
        String flag = rollout(List.of(), List.of(), Map.of());
        action(flag, "start", Map.of("reason", "test start")).then().statusCode(200);
        action(flag, "pause", Map.of("reason", "investigating")).then().statusCode(200).body("status",
                equalTo("paused"));
        action(flag, "advance", Map.of("force", true, "reason", "x")).then().statusCode(409);
        action(flag, "pause", Map.of("reason", "test pause")).then().statusCode(409);
        action(flag, "resume", Map.of("reason", "test resume")).then().statusCode(200).body("status",
                equalTo("active"));
        action(flag, "advance", Map.of("force", true, "reason", "x")).then().statusCode(200).body("tier", equalTo(2));
    }

    @Test
    void listsCanBeReplaced() {
        String flag = rollout(List.of("a"), List.of(), Map.of());
        action(flag, "start", Map.of("reason", "test start")).then().statusCode(200);
        Api.admin().body(Map.of("whitelistedCustomers", List.of("b"), "blacklistedCustomers", List.of("a"),
                "reason", "swap")).put("/api/admin/rollouts/{f}/lists", flag)
                .then().statusCode(200).body("whitelistedCustomers", equalTo(List.of("b")));
        assertTrue(enabledFor(flag, "b"));
        assertEquals(false, enabledFor(flag, "a"));
        Api.admin().body(Map.of("reason", "test", "whitelistedCustomers", List.of("bad id")))
                .put("/api/admin/rollouts/{f}/lists", flag)
                .then().statusCode(400).body("errors[0].field", equalTo("whitelistedCustomers[0]"));
    }

    @Test
    void aCustomerCannotBeOnBothListsAndNothingIsStoredWhenOneIs() {
        String flag = rollout(List.of("a"), List.of("b"), Map.of());
        Api.admin().body(Map.of("whitelistedCustomers", List.of("a", "c"), "blacklistedCustomers", List.of("c", "b"),
                "reason", "overlap")).put("/api/admin/rollouts/{f}/lists", flag)
                .then().statusCode(400).contentType(Api.PROBLEM_JSON)
                .body("errors[0].field", equalTo("blacklistedCustomers"))
                .body("errors[0].reason", org.hamcrest.Matchers.containsString("c"));
        Api.viewer().get("/api/admin/rollouts/{f}", flag).then()
                .body("whitelistedCustomers", equalTo(List.of("a")))
                .body("blacklistedCustomers", equalTo(List.of("b")));
        String other = flags.create();
        Api.admin().body(Map.of("reason", "test", "featureName", other, "whitelistedCustomers", List.of("x"),
                "blacklistedCustomers", List.of("x"))).post("/api/admin/rollouts").then().statusCode(400);
        Api.viewer().get("/api/admin/rollouts/{f}", other).then().statusCode(404);
    }

    @Test
    void twoConcurrentAdvancesOfTheSameVersionLetExactlyOneWin() throws Exception {
        String flag = rollout(List.of(), List.of(), Map.of());
        int version = action(flag, "start", Map.of("reason", "test start")).then().statusCode(200).extract()
                .path("version");
        List<CompletableFuture<Integer>> calls = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            calls.add(CompletableFuture.supplyAsync(() -> action(flag, "advance",
                    Map.of("force", true, "reason", "race", "version", version)).statusCode()));
        }
        List<Integer> statuses = new ArrayList<>();
        for (CompletableFuture<Integer> call : calls) {
            statuses.add(call.get());
        }
        assertEquals(List.of(200, 409), statuses.stream().sorted().toList());
        Api.viewer().get("/api/admin/rollouts/{f}", flag).then().body("tier", equalTo(2));
        assertEquals(1, TestDatabase.query("SELECT 1 FROM feature_flag_changes WHERE flag_path = ? "
                + "AND action = 'rollout.advance.forced'", flag).size());
    }

    @Test
    void unknownRolloutsAre404() {
        Api.viewer().get("/api/admin/rollouts/{f}", "sessionPersistence.phase1.autoRestore").then().statusCode(404);
        Api.viewer().get("/api/admin/rollouts/{f}", "no.such.flag").then().statusCode(404);
        Api.admin().body(Map.of("reason", "test")).post("/api/admin/rollouts/{f}/start", "no.such.flag").then()
                .statusCode(404);
    }
}
