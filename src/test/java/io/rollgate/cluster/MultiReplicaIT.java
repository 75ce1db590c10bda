package io.rollgate.cluster;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.restassured.specification.RequestSpecification;
import io.rollgate.support.Api;
import io.rollgate.support.Events;
import io.rollgate.support.Overrides;
import io.rollgate.support.TestDatabase;
import io.rollgate.support.TestIds;
import java.io.File;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two replicas of the packaged service on one database: the one Quarkus starts for this test (A) and a
 * second process of the same jar (B).
 */
@QuarkusIntegrationTest
class MultiReplicaIT {

    private static final int B_PORT = 8093;
    private static Process replicaB;

    @BeforeAll
    static void startSecondReplica() throws Exception {
        TestDatabase.directUrl = "jdbc:postgresql://127.0.0.1:5432/rollgate_test";
        File jar = new File("target/quarkus-app/quarkus-run.jar");
        assertTrue(jar.exists(), "the packaged service is needed: run this through mvn verify");
        replicaB = new ProcessBuilder(System.getProperty("java.home") + "/bin/java", "-Dquarkus.profile=test",
                "-Dquarkus.http.port=" + B_PORT, "-Dquarkus.log.file.enabled=false", "-jar", jar.getPath())
                .redirectErrorStream(true).redirectOutput(new File("target/replica-b.log")).start();
        await(Duration.ofSeconds(60), () -> {
            try {
                return b().get("/q/health/ready").statusCode() == 200;
            } catch (Exception e) {
                // not listening yet: RestAssured rethrows the connect failure as it is
                return false;
            }
        }, "replica B to become ready");
    }

    @AfterAll
    static void stopSecondReplica() {
        if (replicaB != null) {
            replicaB.destroyForcibly();
        }
        TestDatabase.directUrl = null;
    }

    private static RequestSpecification b() {
        return given().port(B_PORT);
    }

    private static RequestSpecification bAs(String token) {
        return b().header("Authorization", "Bearer " + token).contentType("application/json");
    }

    private static long await(Duration limit, BooleanSupplier condition, String what) throws InterruptedException {
        Instant start = Instant.now();
        while (!condition.getAsBoolean()) {
            if (Duration.between(start, Instant.now()).compareTo(limit) > 0) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(5);
        }
        return Duration.between(start, Instant.now()).toMillis();
    }

    @Test
    void anOverrideChangedThroughOneReplicaIsServedByTheOtherWithinASecond() throws Exception {
        String customer = TestIds.customer();
        b().queryParam("customerId", customer).get("/api/widget/config").then()
                .body("sessionPersistence.phase2.enhancedStorage", equalTo(false));
        Api.admin().body(Overrides.body(Overrides.phase2("enhancedStorage", true), "replica test"))
                .put("/api/admin/customers/{id}/flags", customer).then().statusCode(200);
        long millis = await(Duration.ofSeconds(1), () -> Boolean.TRUE.equals(b().queryParam("customerId", customer)
                .get("/api/widget/config").path("sessionPersistence.phase2.enhancedStorage")), "B to serve the change");
        System.out.printf("override change visible on the other replica after %d ms%n", millis);
        assertTrue(millis < 1000, millis + " ms");
    }

    @Test
    void aKillThroughOneReplicaReachesTheOtherWithinASecond() throws Exception {
        String flag = "replica-" + UUID.randomUUID();
        Api.admin().body(Map.of("name", flag, "rolloutPercentage", 100)).post("/api/admin/flags").then().statusCode(201);
        await(Duration.ofSeconds(1), () -> bAs(Api.ADMIN_TOKEN).get("/api/admin/flags/{n}", flag).statusCode() == 200,
                "B to know the flag");
        // A serves the flag on before the kill (and its evaluation path is warm, so the timing is the change's)
        given().contentType("application/json").body(Map.of("context", Map.of("userId", "u")))
                .post("/api/flags/{n}/evaluate", flag).then().statusCode(200).body("enabled", equalTo(true));
        bAs(Api.ADMIN_TOKEN).body(Map.of("global", true, "featureName", flag, "enabled", false, "reason", "incident"))
                .post("/api/admin/feature-flags").then().statusCode(200);
        long millis = await(Duration.ofSeconds(1), () -> Boolean.FALSE.equals(given().contentType("application/json")
                .body(Map.of("context", Map.of("userId", "u"))).post("/api/flags/{n}/evaluate", flag).path("enabled")),
                "A to serve the kill");
        System.out.printf("kill visible on the other replica after %d ms%n", millis);
        assertTrue(millis < 1000, millis + " ms");
        Api.admin().delete("/api/admin/flags/{n}", flag);
    }

    @Test
    void anAutomaticRollbackHappensExactlyOnceWithTwoReplicasChecking() throws Exception {
        String flag = "replica-rollout-" + UUID.randomUUID();
        Api.admin().body(Map.of("name", flag)).post("/api/admin/flags").then().statusCode(201);
        Api.admin().body(Map.of("featureName", flag, "rollbackThreshold", Map.of("errorRate", 0.05, "minSamples", 20,
                "consecutiveBreaches", 2))).post("/api/admin/rollouts").then().statusCode(201);
        Api.admin().body(Map.of()).post("/api/admin/rollouts/{f}/start", flag).then().statusCode(200);
        bAs(Api.INGEST_TOKEN).body(Events.outcomes(flag, 50, 50)).post("/api/rollout-events").then().statusCode(200);
        await(Duration.ofSeconds(15), () -> "rolled_back".equals(Api.viewer().get("/api/admin/rollouts/{f}", flag)
                .path("status")), "the automatic rollback");
        Thread.sleep(3_000);
        assertEquals(1, TestDatabase.query("SELECT 1 FROM feature_flag_changes WHERE flag_path = ? "
                + "AND action = 'rollout.auto_rollback'", flag).size());
        b().contentType("application/json").body(Map.of("context", Map.of("userId", "u")))
                .post("/api/flags/{n}/evaluate", flag).then().body("enabled", equalTo(false))
                .body("reason", equalTo("disabled"));
        Api.admin().delete("/api/admin/flags/{n}", flag);
    }

    @Test
    void killingAReplicaLosesNothingItAcknowledged() throws Exception {
        List<String> acknowledged = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            Map<String, Object> batch = Events.outcomes("phase1_auto_restore", 25, 0);
            if (bAs(Api.INGEST_TOKEN).body(batch).post("/api/rollout-events").statusCode() == 200) {
                acknowledged.add((String) batch.get("batchId"));
            }
        }
        replicaB.destroyForcibly().waitFor();
        long stored = (Long) TestDatabase.query("SELECT count(*) AS n FROM rollout_events WHERE batch_id = ANY (?)",
                (Object) acknowledged.toArray(String[]::new)).get(0).get("n");
        assertEquals(acknowledged.size() * 25L, stored);
        given().get("/api/widget/config").then().statusCode(200);
        startSecondReplica();
    }
}
