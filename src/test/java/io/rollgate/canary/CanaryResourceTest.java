package io.rollgate.canary;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.rollgate.support.Api;
import io.rollgate.support.Await;
import io.rollgate.support.Jobs;
import io.rollgate.support.Metrics;
import io.rollgate.support.TestDatabase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/** The automation runs every second in the test profile (rollgate.canary.check-interval). */
@QuarkusTest
class CanaryResourceTest {

    static String service() {
        return "svc-" + UUID.randomUUID().toString().substring(0, 8);
    }

    static Map<String, Object> stage(int percentage, long duration, long minRequests, double maxErrorRate) {
        return Map.of("percentage", percentage, "duration", duration, "minRequests", minRequests,
                "maxErrorRate", maxErrorRate);
    }

    static void start(String service, String version, List<Map<String, Object>> stages) {
        Map<String, Object> body = stages == null
                ? Map.of("version", version, "reason", "release " + version)
                : Map.of("version", version, "stages", stages, "reason", "release " + version);
        Api.admin().body(body).post("/api/admin/canary/{s}/deployments", service).then().statusCode(201);
    }

    static void report(String service, int canaryRequests, int canaryErrors, int stableRequests) {
        List<Map<String, Object>> samples = new ArrayList<>();
        for (int i = 0; i < canaryRequests; i++) {
            samples.add(Map.of("canary", true, "latencyMs", 30 + i % 20, "error", i < canaryErrors));
        }
        for (int i = 0; i < stableRequests; i++) {
            samples.add(Map.of("canary", false, "latencyMs", 25, "error", false));
        }
        Api.as(Api.INGEST_TOKEN).body(Map.of("requests", samples)).post("/api/canary/{s}/requests", service)
                .then().statusCode(200).body("accepted", equalTo(canaryRequests + stableRequests));
    }

    static Map<String, Object> current(String service) {
        return Api.viewer().get("/api/admin/canary/{s}", service).then().extract().as(Map.class);
    }

    static Map<String, Object> latest(String service) {
        return Api.viewer().get("/api/admin/canary/{s}/history", service).then().statusCode(200)
                .extract().jsonPath().getMap("[0]");
    }

    static void await(BooleanSupplier condition, String what) throws InterruptedException {
        Await.until(Duration.ofSeconds(12), Duration.ofMillis(200), condition, what);
    }

    @Test
    void customStagesAreValidated() {
        String service = service();
        Api.admin()
                .body(Map.of("reason", "test", "version", "v2", "stages",
                        List.of(stage(50, 60, 10, 0.05), stage(20, -1, 10, 2.0))))
                .post("/api/admin/canary/{s}/deployments", service)
                .then().statusCode(400).contentType(Api.PROBLEM_JSON)
                .body("errors.field", containsInAnyOrder("stages[1].percentage", "stages[1].duration",
                        "stages[1].maxErrorRate", "stages[1].percentage"));
        Api.admin().body(Map.of("reason", "test", "version", "v2", "strategy", "yolo"))
                .post("/api/admin/canary/{s}/deployments", service)
                .then().statusCode(400).body("errors[0].field", equalTo("strategy"));
        Api.admin().body(Map.of("reason", "test", "version", "v2"))
                .post("/api/admin/canary/{s}/deployments", "bad service!")
                .then().statusCode(400);
    }

    @Test
    void defaultStagesRouteStickilyAndOneDeploymentFliesPerService() {
        String service = service();
        given().queryParam("userId", "u-1").get("/api/canary/{s}/route", service).then().statusCode(200)
                .body("canary", equalTo(false));
        start(service, "v2.1.0", null);
        Api.admin().body(Map.of("reason", "test", "version", "v3")).post("/api/admin/canary/{s}/deployments", service)
                .then().statusCode(409);
        Map<String, Object> deployment = current(service);
        assertEquals(10, deployment.get("percentage"));
        assertEquals(3, ((List<?>) deployment.get("stages")).size());

        Set<String> onCanary = new HashSet<>();
        for (int i = 0; i < 400; i++) {
            String user = "user-" + i;
            boolean canary = given().queryParam("userId", user).get("/api/canary/{s}/route", service)
                    .then().statusCode(200).body("sticky", equalTo(true)).extract().path("canary");
            if (canary) {
                onCanary.add(user);
            }
        }
        assertTrue(onCanary.size() > 15 && onCanary.size() < 70, "about 10% of 400: " + onCanary.size());
        // no traffic reported, so the stage's criteria are unmet: forced
        Api.admin().body(Map.of("reason", "looks good", "force", true)).post("/api/admin/canary/{s}/advance", service)
                .then().statusCode(200).body("percentage", equalTo(50));
        for (String user : onCanary) {
            given().queryParam("userId", user).get("/api/canary/{s}/route", service).then()
                    .body("canary", equalTo(true)).body("version", equalTo("v2.1.0"));
        }
        given().get("/api/canary/{s}/route", service).then().statusCode(200).body("sticky", equalTo(false));
    }

    /**
     * A healthy two-stage deployment taken by the automation through its stages to completion, its first stage's
     * counts kept in the final metrics; answers the finished deployment.
     */
    static Map<String, Object> healthyDeploymentCompletes(String service) throws InterruptedException {
        start(service, "v2", List.of(stage(10, 1, 20, 0.1), stage(100, 0, 0, 0.1)));
        report(service, 30, 1, 200);
        await(() -> Integer.valueOf(2).equals(current(service).get("currentStage")), "the last stage");
        // the last stage is watched too (20 requests and 1 s at least in the test profile): not done yet
        assertEquals("active", current(service).get("status"));
        report(service, 25, 0, 0);
        await(() -> "completed".equals(latest(service).get("status")), "completion");
        Map<String, Object> done = latest(service);
        Map<?, ?> finalMetrics = (Map<?, ?>) done.get("finalMetrics");
        Map<?, ?> firstStage = (Map<?, ?>) ((List<?>) finalMetrics.get("stages")).get(0);
        assertEquals(30, ((Map<?, ?>) firstStage.get("canary")).get("requests"));
        assertEquals(200, ((Map<?, ?>) firstStage.get("stable")).get("requests"));
        return done;
    }

    @Test
    void aHealthyStageAdvancesAfterItsDurationAndTheLastOneCompletes() throws Exception {
        String service = service();
        Map<String, Object> done = healthyDeploymentCompletes(service);
        assertEquals(100, done.get("percentage"));
        given().queryParam("userId", "anyone").get("/api/canary/{s}/route", service).then()
                .body("canary", equalTo(false)).body("version", equalTo("v2"));
        assertEquals(List.of(Map.of("changed_by", "system:canary")), TestDatabase.query(
                "SELECT DISTINCT changed_by FROM feature_flag_changes WHERE subject = ? AND action = 'canary.complete'",
                service));
    }

    @Test
    void theLastStagesErrorThresholdIsEnforcedBeforeCompletion() throws Exception {
        String service = service();
        start(service, "v2", List.of(stage(10, 1, 20, 0.1), stage(100, 0, 0, 0.02)));
        report(service, 30, 0, 0);
        await(() -> Integer.valueOf(2).equals(current(service).get("currentStage")), "the last stage");
        report(service, 20, 5, 0);
        await(() -> "rolled_back".equals(latest(service).get("status")), "the rollback at 100 %");
        String reason = (String) latest(service).get("rollbackReason");
        assertTrue(reason.contains("25.00%") && reason.contains("stage 2"), reason);
    }

    @Test
    void aRetriedBatchCountsOnce() {
        String service = service();
        start(service, "v2", List.of(stage(10, 600, 1000, 0.5), stage(100, 0, 0, 0.5)));
        Map<String, Object> batch = Map.of("batchId", "b-" + UUID.randomUUID(), "requests",
                List.of(Map.of("canary", true, "latencyMs", 12, "error", false),
                        Map.of("canary", true, "latencyMs", 14, "error", true)));
        Api.as(Api.INGEST_TOKEN).body(batch).post("/api/canary/{s}/requests", service).then().statusCode(200)
                .body("accepted", equalTo(2)).body("duplicate", equalTo(false)).body("stage", equalTo(1));
        Api.as(Api.INGEST_TOKEN).body(batch).post("/api/canary/{s}/requests", service).then().statusCode(200)
                .body("accepted", equalTo(0)).body("duplicate", equalTo(true));
        Map<?, ?> canary = (Map<?, ?>) current(service).get("canary");
        assertEquals(2, canary.get("requests"));
        assertEquals(1, canary.get("errors"));
        Api.as(Api.INGEST_TOKEN).body(Map.of("batchId", "no way", "requests", batch.get("requests")))
                .post("/api/canary/{s}/requests", service).then().statusCode(400)
                .body("errors[0].field", equalTo("batchId"));
    }

    @Test
    void batchIdsPastTheirRetentionAreDeletedAndTheRecentOnesStillCountOnce() throws Exception {
        String service = service();
        start(service, "v2", List.of(stage(10, 600, 1000, 0.5), stage(100, 0, 0, 0.5)));
        List<Map<String, Object>> requests = List.of(Map.of("canary", true, "latencyMs", 12, "error", false));
        String old = "old-" + UUID.randomUUID();
        String recent = "recent-" + UUID.randomUUID();
        for (String batchId : List.of(old, recent)) {
            Api.as(Api.INGEST_TOKEN).body(Map.of("batchId", batchId, "requests", requests))
                    .post("/api/canary/{s}/requests", service).then().statusCode(200).body("accepted", equalTo(1));
        }
        // eight days ago: past the seven days a batch id is kept
        TestDatabase.update("UPDATE canary_request_batches SET received_at = now() - interval '8 days' "
                + "WHERE batch_id = ?", old);
        io.rollgate.support.Jobs.awaitRuns("canary-batch-retention", 2);
        assertEquals(List.of(Map.of("batch_id", recent)), TestDatabase.query("SELECT batch_id FROM "
                + "canary_request_batches WHERE batch_id IN (?, ?)", old, recent));
        Api.as(Api.INGEST_TOKEN).body(Map.of("batchId", recent, "requests", requests))
                .post("/api/canary/{s}/requests", service).then().statusCode(200).body("duplicate", equalTo(true));
    }

    @Test
    void samplesRoutedUnderAStageAlreadyLeftAreDroppedNotCountedAgainstTheNext() throws Exception {
        String service = service();
        start(service, "v2", List.of(stage(10, 1, 20, 0.5), stage(100, 600, 1000, 0.5)));
        int routedUnder = given().queryParam("userId", "u-1").get("/api/canary/{s}/route", service).then()
                .statusCode(200).extract().path("stage");
        assertEquals(1, routedUnder);
        report(service, 30, 0, 0);
        await(() -> Integer.valueOf(2).equals(current(service).get("currentStage")), "the second stage");
        List<Map<String, Object>> late = List.of(Map.of("canary", true, "latencyMs", 10, "error", true));
        Api.as(Api.INGEST_TOKEN).body(Map.of("stage", routedUnder, "requests", late))
                .post("/api/canary/{s}/requests", service).then().statusCode(200)
                .body("accepted", equalTo(0)).body("dropped", equalTo(1)).body("stage", equalTo(2));
        assertEquals(0, ((Map<?, ?>) current(service).get("canary")).get("requests"));
        // the stage a batch's answer names is the one the deployment view shows
        int counted = Api.as(Api.INGEST_TOKEN).body(Map.of("stage", 2, "requests", late))
                .post("/api/canary/{s}/requests", service).then().statusCode(200).body("accepted", equalTo(1))
                .extract().path("stage");
        assertEquals(current(service).get("currentStage"), counted);
    }

    @Test
    void theReportedP95NeverExceedsTheLargestLatencyRecorded() {
        String service = service();
        start(service, "v2", List.of(stage(10, 600, 1000, 0.5), stage(100, 0, 0, 0.5)));
        List<Map<String, Object>> samples = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            samples.add(Map.of("canary", true, "latencyMs", 101 + i % 50, "error", false));
        }
        Api.as(Api.INGEST_TOKEN).body(Map.of("requests", samples)).post("/api/canary/{s}/requests", service)
                .then().statusCode(200);
        float p95 = ((Number) ((Map<?, ?>) current(service).get("canary")).get("latencyP95")).floatValue();
        assertTrue(p95 > 100 && p95 <= 150, "p95 " + p95);
    }

    @Test
    void belowMinRequestsNothingMoves() throws Exception {
        String service = service();
        start(service, "v2", List.of(stage(10, 0, 1000, 0.05), stage(100, 0, 0, 0.05)));
        report(service, 50, 40, 0);
        // two automation passes that saw the requests
        Jobs.awaitRuns("canary-automation", 2);
        Map<String, Object> deployment = current(service);
        assertEquals("active", deployment.get("status"));
        assertEquals(1, deployment.get("currentStage"));
        assertEquals(50, ((Map<?, ?>) deployment.get("canary")).get("requests"));
    }

    @Test
    void aBreachRollsBackWithTheReason() throws Exception {
        String service = service();
        start(service, "v2-bad", List.of(stage(20, 600, 20, 0.05), stage(100, 0, 0, 0.05)));
        report(service, 40, 10, 40);
        await(() -> "rolled_back".equals(latest(service).get("status")), "rollback");
        String reason = (String) latest(service).get("rollbackReason");
        assertTrue(reason.contains("25.00%") && reason.contains("40 requests"), reason);
        given().queryParam("userId", "u").get("/api/canary/{s}/route", service).then().body("canary", equalTo(false));
        Api.viewer().get("/api/admin/canary/{s}", service).then().statusCode(404);
        assertEquals(0.0, Metrics.value("rollgate_canary_active", "service=\"" + service + "\""));
    }

    @Test
    void aStepBasedOnAnOlderReadIsRefusedSoTwoClicksMoveOneStage() {
        String service = service();
        start(service, "v2", List.of(stage(10, 600_000, 1_000, 0.05), stage(50, 600_000, 1_000, 0.05),
                stage(100, 0, 0, 0.05)));
        int read = Api.viewer().get("/api/admin/canary/{s}", service).then().statusCode(200).extract()
                .path("rowVersion");
        // the first click moves the deployment on and answers the row version it is now at
        int now = Api.admin().body(Map.of("reason", "first click", "rowVersion", read, "force", true))
                .post("/api/admin/canary/{s}/advance", service).then().statusCode(200)
                .body("percentage", equalTo(50)).extract().path("rowVersion");
        assertEquals(read + 1, now);
        // the second click still carries what the page read: refused, the deployment stays at 50 %
        Api.admin().body(Map.of("reason", "second click", "rowVersion", read, "force", true))
                .post("/api/admin/canary/{s}/advance", service).then().statusCode(409)
                .body("detail", containsString("row version"));
        Api.viewer().get("/api/admin/canary/{s}", service).then().body("percentage", equalTo(50))
                .body("rowVersion", equalTo(now));
        Api.admin().body(Map.of("reason", "done", "rowVersion", now)).post("/api/admin/canary/{s}/rollback", service)
                .then().statusCode(200).body("status", equalTo("rolled_back"));
    }

    @Test
    void anAdvanceIsHeldToTheStageCriteriaUnlessForcedAndAForcedOneIsAuditedAsSuch() {
        String service = service();
        start(service, "v2", List.of(stage(10, 600, 500, 0.05), stage(100, 0, 0, 0.05)));
        report(service, 120, 1, 100);
        Api.viewer().get("/api/admin/canary/{s}", service).then().statusCode(200)
                .body("criteria.name", equalTo(List.of("canaryRequests", "errorRate", "timeInStage")))
                .body("criteria.met", equalTo(List.of(false, true, false)))
                .body("criteria[0].required", equalTo(">= 500")).body("criteria[0].actual", equalTo("120"))
                .body("criteria[2].required", equalTo(">= PT10M"))
                .body("stageTimeMetAt", org.hamcrest.Matchers.notNullValue());
        // 120 of the 500 requests and 10 minutes not yet watched: refused, naming exactly what is unmet
        Api.admin().body(Map.of("reason", "impatient")).post("/api/admin/canary/{s}/advance", service).then()
                .statusCode(409).body("detail", containsString("2 of its criteria unmet"))
                .body("unmetCriteria.name", equalTo(List.of("canaryRequests", "timeInStage")));
        assertEquals(10, current(service).get("percentage"));
        Api.admin().body(Map.of("reason", "the release train leaves", "force", true))
                .post("/api/admin/canary/{s}/advance", service).then().statusCode(200)
                .body("percentage", equalTo(100));
        Api.viewer().queryParam("subjectType", "canary").queryParam("subject", service)
                .queryParam("action", "canary.advance.forced").get("/api/admin/audit").then().statusCode(200)
                .body("items", hasSize(1)).body("items[0].reason", equalTo("the release train leaves"))
                // in the shape every audited change has: the state before and after
                .body("items[0].details.before.percentage", equalTo(10))
                .body("items[0].details.after.percentage", equalTo(100))
                .body("items[0].details.after.stage", equalTo(2));
        Api.admin().body(Map.of("reason", "done")).post("/api/admin/canary/{s}/rollback", service).then()
                .statusCode(200);
    }

    @Test
    void aPausedDeploymentDoesNotMove() throws Exception {
        String service = service();
        start(service, "v2", List.of(stage(20, 0, 10, 0.05), stage(100, 0, 0, 0.05)));
        Api.admin().body(Map.of("reason", "watching")).post("/api/admin/canary/{s}/pause", service)
                .then().statusCode(200).body("status", equalTo("paused"));
        report(service, 40, 30, 0);
        Jobs.awaitRuns("canary-automation", 2);
        assertEquals("paused", current(service).get("status"));
        Api.admin().body(Map.of("reason", "test")).post("/api/admin/canary/{s}/advance", service).then()
                .statusCode(409);
        Api.admin().body(Map.of()).post("/api/admin/canary/{s}/rollback", service).then()
                .statusCode(400);
        Api.admin().body(Map.of("reason", "enough")).post("/api/admin/canary/{s}/rollback", service)
                .then().statusCode(200).body("status", equalTo("rolled_back"));
    }

    @Test
    void anInstantDeployGoesStraightToEveryoneAndSupersedesTheCanary() {
        String service = service();
        start(service, "v2", null);
        Api.admin().body(Map.of("version", "v2.0.1-hotfix", "strategy", "instant", "reason", "CVE"))
                .post("/api/admin/canary/{s}/deployments", service)
                .then().statusCode(201).body("status", equalTo("completed")).body("percentage", equalTo(100));
        List<Map<String, Object>> history = Api.viewer().get("/api/admin/canary/{s}/history", service)
                .then().extract().jsonPath().getList("$");
        assertEquals("v2.0.1-hotfix", history.get(0).get("version"));
        assertEquals("rolled_back", history.get(1).get("status"));
        given().queryParam("userId", "u").get("/api/canary/{s}/route", service).then()
                .body("version", equalTo("v2.0.1-hotfix"));
    }

    @Test
    void historyKeepsTheLastTen() {
        String service = service();
        for (int i = 1; i <= 12; i++) {
            start(service, "v" + i, null);
            Api.admin().body(Map.of("reason", "next")).post("/api/admin/canary/{s}/rollback", service)
                    .then().statusCode(200);
        }
        Api.viewer().get("/api/admin/canary/{s}/history", service).then().statusCode(200)
                .body("$", hasSize(10)).body("[0].version", equalTo("v12")).body("[9].version", equalTo("v3"));
    }

    @Test
    void servicesAreIndependent() {
        String a = service();
        String b = service();
        start(a, "a-2", null);
        start(b, "b-7", List.of(stage(50, 600, 10, 0.05), stage(100, 0, 0, 0.05)));
        Api.admin().body(Map.of("reason", "a only")).post("/api/admin/canary/{s}/rollback", a).then().statusCode(200);
        assertEquals("active", current(b).get("status"));
        assertEquals(50, current(b).get("percentage"));
        Api.viewer().get("/api/admin/canary/{s}", a).then().statusCode(404);
        Api.as(Api.INGEST_TOKEN).body(Map.of("requests", List.of(Map.of("canary", true, "latencyMs", 1,
                "error", false)))).post("/api/canary/{s}/requests", a).then().statusCode(409);
    }

    @Test
    void reportingNeedsAnIngestTokenAndWellFormedSamples() {
        String service = service();
        start(service, "v2", null);
        Map<String, Object> batch = Map.of("requests",
                List.of(Map.of("canary", true, "latencyMs", 12, "error", false)));
        given().contentType("application/json").body(batch).post("/api/canary/{s}/requests", service)
                .then().statusCode(401);
        Api.viewer().body(batch).post("/api/canary/{s}/requests", service).then().statusCode(403);
        Api.as(Api.INGEST_TOKEN).body(Map.of("requests", List.of(Map.of("canary", true, "latencyMs", -3))))
                .post("/api/canary/{s}/requests", service)
                .then().statusCode(400).body("errors[0].field", equalTo("requests[0]"));
    }

    @Test
    void everyServiceWithDeploymentsIsListedWithItsStableAndInFlightVersions() {
        String service = "list-" + UUID.randomUUID().toString().substring(0, 8);
        Api.admin().body(Map.of("version", "v1", "strategy", "instant", "reason", "first"))
                .post("/api/admin/canary/{s}/deployments", service).then().statusCode(201);
        Api.admin().body(Map.of("version", "v2", "reason", "second"))
                .post("/api/admin/canary/{s}/deployments", service).then().statusCode(201);
        Api.viewer().get("/api/admin/canary").then().statusCode(200)
                .body("find { it.service == '" + service + "' }.stableVersion", equalTo("v1"))
                .body("find { it.service == '" + service + "' }.inFlightVersion", equalTo("v2"))
                .body("find { it.service == '" + service + "' }.status", equalTo("active"))
                .body("find { it.service == '" + service + "' }.percentage", equalTo(10));
        Api.anonymous().get("/api/admin/canary").then().statusCode(401);
    }
}
