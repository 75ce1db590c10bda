package io.rollgate.cluster;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.restassured.specification.RequestSpecification;
import io.rollgate.support.Api;
import io.rollgate.support.Await;
import io.rollgate.support.EventStream;
import io.rollgate.support.Events;
import io.rollgate.support.Jobs;
import io.rollgate.support.Management;
import io.rollgate.support.Overrides;
import io.rollgate.support.PackagedService;
import io.rollgate.support.Runbooks;
import io.rollgate.support.TestDatabase;
import io.rollgate.support.TestIds;
import java.io.File;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
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
    private static final int B_MANAGEMENT_PORT = 9093;
    private static Process replicaB;

    @BeforeAll
    static void startSecondReplica() throws Exception {
        TestDatabase.directUrl = "jdbc:postgresql://127.0.0.1:5432/rollgate_test";
        replicaB = new ProcessBuilder(PackagedService.command("-Dquarkus.profile=test",
                "-Dquarkus.http.port=" + B_PORT, "-Dquarkus.management.port=" + B_MANAGEMENT_PORT,
                "-Dquarkus.log.file.enabled=false"))
                .redirectErrorStream(true).redirectOutput(new File("target/replica-b.log")).start();
        Await.until(Duration.ofSeconds(60), () -> {
            try {
                return bManagement().get("/q/health/ready").statusCode() == 200;
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

    /** Replica B's management interface: health and metrics. */
    private static RequestSpecification bManagement() {
        return given().port(B_MANAGEMENT_PORT);
    }

    private static RequestSpecification bAs(String token) {
        return b().header("Authorization", "Bearer " + token).contentType("application/json");
    }

    private static final String ENHANCED_STORAGE = "sessionPersistence.phase2.enhancedStorage";

    /** What a replica serves a customer for a widget flag path. */
    private static Object served(RequestSpecification replica, String customer, String path) {
        return replica.queryParam("customerId", customer).get("/api/widget/config").path(path);
    }

    /** Waits until both replicas serve {@code expected}; answers the milliseconds it took. */
    private static long awaitBoth(Duration limit, String customer, String path, Object expected, String what)
            throws InterruptedException {
        return Await.until(limit, () -> expected.equals(served(given(), customer, path))
                && expected.equals(served(b(), customer, path)), what);
    }

    private static long revisionOf(RequestSpecification replica) {
        return ((Number) replica.get("/q/health/ready").path("checks.find { it.name == 'rollgate' }.data.revision"))
                .longValue();
    }

    /** A customer the rollout's 10 % tier enables by bucket (and 50 % too, buckets being monotonic). */
    private static String customerInTheFirstTenPercent() {
        for (int i = 0;; i++) {
            String customer = "bucket-" + i + "-" + UUID.randomUUID().toString().substring(0, 4);
            if (io.rollgate.engine.Bucketing.inRollout(ENHANCED_STORAGE, customer, 10)) {
                return customer;
            }
        }
    }

    @Test
    void theRunbooksEmergencyRollbackAndForcedAdvanceInSqlReachBothReplicas() throws Exception {
        TestDatabase.update("DELETE FROM feature_rollouts WHERE flag_key = ?", ENHANCED_STORAGE);
        String internal = TestIds.customer();
        String early = customerInTheFirstTenPercent();
        try {
            Api.admin().body(Map.of("featureName", "phase2_enhanced_storage", "whitelistedCustomers", List.of(internal),
                    "reason", "replica test")).post("/api/admin/rollouts").then().statusCode(201);
            Api.admin().body(Map.of("reason", "test")).post("/api/admin/rollouts/{f}/start", "phase2_enhanced_storage")
                    .then()
                    .statusCode(200);
            awaitBoth(Duration.ofSeconds(1), internal, ENHANCED_STORAGE, true, "tier 1 on both replicas");

            TestDatabase.update(Runbooks.sql("emergency-rollback"));
            long rolledBack = awaitBoth(Duration.ofSeconds(2), internal, ENHANCED_STORAGE, false,
                    "the emergency rollback on both replicas");
            System.out.printf("emergency rollback in SQL served by both replicas after %d ms%n", rolledBack);
            bAs(Api.VIEWER_TOKEN).get("/api/admin/rollouts/{f}", "phase2_enhanced_storage").then()
                    .body("status", equalTo("rolled_back")).body("tier", equalTo(0))
                    .body("rollbackReason", org.hamcrest.Matchers.startsWith("Rolled back in SQL"));

            Api.admin().body(Map.of("reason", "fixed"))
                    .post("/api/admin/rollouts/{f}/restart", "phase2_enhanced_storage")
                    .then().statusCode(200).body("tier", equalTo(1));
            awaitBoth(Duration.ofSeconds(1), early, ENHANCED_STORAGE, false, "tier 1 leaving the 10 % out");
            TestDatabase.update(Runbooks.sql("force-advance"));
            long advanced = awaitBoth(Duration.ofSeconds(2), early, ENHANCED_STORAGE, true,
                    "the forced advance on both replicas");
            System.out.printf("forced advance in SQL served by both replicas after %d ms%n", advanced);
            bAs(Api.VIEWER_TOKEN).get("/api/admin/rollouts/{f}", "phase2_enhanced_storage").then()
                    .body("currentTier", equalTo("tier_2_early_adopters")).body("tier", equalTo(2))
                    .body("percentage", equalTo(10));

            // a hand-written row whose tier and percentage disagree is served off, never an error
            TestDatabase.update(
                    "UPDATE feature_rollouts SET percentage = 50 WHERE feature_name = 'phase2_enhanced_storage'");
            awaitBoth(Duration.ofSeconds(2), early, ENHANCED_STORAGE, false, "the inconsistent row served off");
            b().queryParam("customerId", internal).get("/api/widget/config").then().statusCode(200);
        } finally {
            TestDatabase.update("DELETE FROM feature_rollouts WHERE flag_key = ?", ENHANCED_STORAGE);
        }
    }

    @Test
    void aKillSwitchSetInSqlReachesBothReplicas() throws Exception {
        String customer = TestIds.customer();
        Api.admin().body(Overrides.body(Overrides.phase2("enhancedStorage", true), "replica test"))
                .put("/api/admin/customers/{id}/flags", customer).then().statusCode(200);
        awaitBoth(Duration.ofSeconds(1), customer, ENHANCED_STORAGE, true, "the override on both replicas");
        try {
            TestDatabase.update(Runbooks.sql("kill-switch"));
            long millis = awaitBoth(Duration.ofSeconds(2), customer, ENHANCED_STORAGE, false,
                    "the kill switch on both replicas");
            System.out.printf("kill switch in SQL served by both replicas after %d ms%n", millis);
        } finally {
            TestDatabase.update("UPDATE feature_flags SET enabled = true WHERE flag_key = ?", ENHANCED_STORAGE);
        }
        awaitBoth(Duration.ofSeconds(2), customer, ENHANCED_STORAGE, true, "the switch back on");
    }

    @Test
    void aStreamOnOneReplicaHearsChangesMadeThroughTheOtherAndInSql() throws Exception {
        String customer = TestIds.customer();
        try (EventStream stream = EventStream.open(B_PORT, "/api/widget/config/stream?customerId=" + customer,
                null)) {
            assertTrue(stream.next(Duration.ofSeconds(5)).data().contains("\"enhancedStorage\":false"));

            long sent = System.nanoTime();
            Api.admin().body(Overrides.body(Overrides.phase2("enhancedStorage", true), "replica stream test"))
                    .put("/api/admin/customers/{id}/flags", customer).then().statusCode(200);
            EventStream.Event viaA = stream.next(Duration.ofSeconds(2));
            long apiMillis = (System.nanoTime() - sent) / 1_000_000;
            assertTrue(viaA.data().contains("\"enhancedStorage\":true"), viaA.data());

            sent = System.nanoTime();
            TestDatabase.update(Runbooks.sql("kill-switch"));
            EventStream.Event viaSql = stream.next(Duration.ofSeconds(2));
            long sqlMillis = (System.nanoTime() - sent) / 1_000_000;
            assertTrue(viaSql.data().contains("\"enhancedStorage\":false"), viaSql.data());
            System.out.printf(
                    "a stream on B heard an API change through A after %d ms, a SQL kill switch after %d ms%n",
                    apiMillis, sqlMillis);
        } finally {
            TestDatabase.update("UPDATE feature_flags SET enabled = true WHERE flag_key = ?", ENHANCED_STORAGE);
        }
        awaitBoth(Duration.ofSeconds(2), customer, ENHANCED_STORAGE, true, "the switch back on");
    }

    @Test
    void clearingTheCacheThroughOneReplicaClearsTheOther() throws Exception {
        String customer = TestIds.customer();
        Api.admin().body(Overrides.body(Overrides.phase2("enhancedStorage", true), "replica test"))
                .put("/api/admin/customers/{id}/flags", customer).then().statusCode(200);
        awaitBoth(Duration.ofSeconds(1), customer, ENHANCED_STORAGE, true, "the override cached on both replicas");
        // a write that no trigger sees (as a restore that bypasses them would): both replicas keep the old document
        try (java.sql.Connection connection = TestDatabase.connect();
                java.sql.Statement statement = connection.createStatement()) {
            statement.execute("SET session_replication_role = replica");
            statement.executeUpdate(
                    "UPDATE customer_feature_flags SET flags = '{}' WHERE customer_id = '" + customer + "'");
        }
        assertEquals(true, served(b(), customer, ENHANCED_STORAGE), "B still serves its cached document");
        Api.admin().delete("/api/admin/cache/customers/{id}", customer).then().statusCode(200)
                .body("replicas", equalTo("all")).body("cleared", equalTo("customer:" + customer));
        long millis = Await.until(Duration.ofSeconds(1),
                () -> Boolean.FALSE.equals(served(b(), customer, ENHANCED_STORAGE)),
                "B to drop the cleared document");
        System.out.printf("cache clear through A effective on B after %d ms%n", millis);
    }

    @Test
    void aReplicaWhoseListenConnectionDiesCatchesUpWithinTwoSeconds() throws Exception {
        String customer = TestIds.customer();
        served(b(), customer, ENHANCED_STORAGE);
        double caughtUp = catchups(bManagement());
        // both replicas lose their LISTEN connections, and the change commits as one made while nobody listened:
        // logged under a new revision, but without the notice (the capture trigger is bypassed and its log entry
        // written by hand). Killing the listeners alone leaves a race: a replica that reconnects before the commit
        // hears the notice, and then has nothing to catch up on
        try (java.sql.Connection connection = TestDatabase.connect();
                java.sql.Statement statement = connection.createStatement()) {
            connection.setAutoCommit(false);
            statement.execute("SET LOCAL session_replication_role = replica");
            statement.executeUpdate("INSERT INTO customer_feature_flags (customer_id, flags) VALUES ('" + customer
                    + "', '{\"sessionPersistence\": {\"phase2\": {\"enhancedStorage\": true}}}')");
            statement.executeUpdate("UPDATE change_revision SET revision = revision + 1, last_txid = txid_current()");
            statement.executeUpdate("INSERT INTO change_log (revision, subject, key) "
                    + "SELECT revision, 'customer', '" + customer + "' FROM change_revision");
            statement.execute("SELECT pg_terminate_backend(pid, 5000) FROM pg_stat_activity "
                    + "WHERE query = 'LISTEN rollgate_changes' AND pid <> pg_backend_pid()");
            connection.commit();
        }
        long millis = Await.until(Duration.ofSeconds(2),
                () -> Boolean.TRUE.equals(served(b(), customer, ENHANCED_STORAGE)),
                "B to catch up on the change it was not told about");
        System.out.printf("change made while B's LISTEN connection was down served after %d ms%n", millis);
        assertTrue(catchups(bManagement()) > caughtUp, "B replayed the change from the change log");
        Await.until(Duration.ofSeconds(5), () -> Boolean.TRUE.equals(bManagement().get("/q/health/ready")
                .path("checks.find { it.name == 'rollgate' }.data.listeningForChanges")), "B listening again");
    }

    private static double catchups(RequestSpecification replica) {
        String text = replica.accept("text/plain").get("/q/metrics").asString();
        java.util.regex.Matcher m = java.util.regex.Pattern
                .compile("(?m)^rollgate_change_catchups_total\\S*\\s+(\\S+)$")
                .matcher(text);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    @Test
    void manyConcurrentChangesNeverMoveAReplicaBackInRevision() throws Exception {
        String flag = "replica-rev-" + UUID.randomUUID();
        Api.admin().body(Map.of("reason", "test", "name", flag)).post("/api/admin/flags").then().statusCode(201);
        try {
            java.util.concurrent.ExecutorService writers = java.util.concurrent.Executors.newFixedThreadPool(8);
            List<java.util.concurrent.Future<?>> writes = new ArrayList<>();
            for (int i = 0; i < 80; i++) {
                int n = i;
                writes.add(writers.submit(() -> TestDatabase.update(
                        "UPDATE feature_flags SET description = ? WHERE flag_key = ?", "edit " + n, flag)));
            }
            long last = -1;
            List<Long> seen = new ArrayList<>();
            while (writes.stream().anyMatch(write -> !write.isDone())) {
                long revision = revisionOf(bManagement());
                assertTrue(revision >= last, "B's revision went back from " + last + " to " + revision);
                last = revision;
                seen.add(revision);
            }
            writers.shutdown();
            for (java.util.concurrent.Future<?> write : writes) {
                write.get();
            }
            long committed = (Long) TestDatabase.query("SELECT revision FROM change_revision").get(0).get("revision");
            Await.until(Duration.ofSeconds(2),
                    () -> revisionOf(bManagement()) >= committed && revisionOf(Management.given()) >= committed,
                    "both replicas at the last revision");
            System.out.printf("B's revision rose through %d distinct values to %d%n", seen.stream().distinct().count(),
                    revisionOf(bManagement()));
        } finally {
            Api.admin().queryParam("reason", "test cleanup").delete("/api/admin/flags/{n}", flag);
        }
    }

    @Test
    void anOverrideChangedThroughOneReplicaIsServedByTheOtherWithinASecond() throws Exception {
        String customer = TestIds.customer();
        b().queryParam("customerId", customer).get("/api/widget/config").then()
                .body("sessionPersistence.phase2.enhancedStorage", equalTo(false));
        Api.admin().body(Overrides.body(Overrides.phase2("enhancedStorage", true), "replica test"))
                .put("/api/admin/customers/{id}/flags", customer).then().statusCode(200);
        long millis = Await.until(Duration.ofSeconds(1),
                () -> Boolean.TRUE.equals(b().queryParam("customerId", customer)
                        .get("/api/widget/config").path("sessionPersistence.phase2.enhancedStorage")),
                "B to serve the change");
        System.out.printf("override change visible on the other replica after %d ms%n", millis);
        assertTrue(millis < 1000, millis + " ms");
    }

    @Test
    void aKillThroughOneReplicaReachesTheOtherWithinASecond() throws Exception {
        String flag = "replica-" + UUID.randomUUID();
        Api.admin().body(Map.of("reason", "test", "name", flag, "rolloutPercentage", 100)).post("/api/admin/flags")
                .then()
                .statusCode(201);
        Await.until(Duration.ofSeconds(1),
                () -> bAs(Api.ADMIN_TOKEN).get("/api/admin/flags/{n}", flag).statusCode() == 200,
                "B to know the flag");
        // A serves the flag on before the kill (and its evaluation path is warm, so the timing is the change's)
        given().contentType("application/json").body(Map.of("context", Map.of("userId", "u")))
                .post("/api/flags/{n}/evaluate", flag).then().statusCode(200).body("enabled", equalTo(true));
        bAs(Api.ADMIN_TOKEN).body(Map.of("global", true, "featureName", flag, "enabled", false, "reason", "incident"))
                .post("/api/admin/feature-flags").then().statusCode(200);
        long millis = Await.until(Duration.ofSeconds(1),
                () -> Boolean.FALSE.equals(given().contentType("application/json")
                        .body(Map.of("context", Map.of("userId", "u"))).post("/api/flags/{n}/evaluate", flag)
                        .path("enabled")),
                "A to serve the kill");
        System.out.printf("kill visible on the other replica after %d ms%n", millis);
        assertTrue(millis < 1000, millis + " ms");
        Api.admin().queryParam("reason", "test cleanup").delete("/api/admin/flags/{n}", flag);
    }

    @Test
    void anAutomaticRollbackHappensExactlyOnceWithTwoReplicasChecking() throws Exception {
        String flag = "replica-rollout-" + UUID.randomUUID();
        Api.admin().body(Map.of("reason", "test", "name", flag)).post("/api/admin/flags").then().statusCode(201);
        Api.admin()
                .body(Map.of("reason", "test", "featureName", flag, "rollbackThreshold",
                        Map.of("errorRate", 0.05, "minSamples", 20,
                                "consecutiveBreaches", 2)))
                .post("/api/admin/rollouts").then().statusCode(201);
        Api.admin().body(Map.of("reason", "test")).post("/api/admin/rollouts/{f}/start", flag).then().statusCode(200);
        bAs(Api.INGEST_TOKEN).body(Events.outcomes(flag, 50, 50)).post("/api/rollout-events").then().statusCode(200);
        Await.until(Duration.ofSeconds(15), () -> "rolled_back".equals(Api.viewer().get("/api/admin/rollouts/{f}", flag)
                .path("status")), "the automatic rollback");
        // two more checks, on whichever replica claims them: neither rolls it back again
        Jobs.awaitRuns("auto-rollback", 2);
        assertEquals(1, TestDatabase.query("SELECT 1 FROM feature_flag_changes WHERE flag_path = ? "
                + "AND action = 'rollout.auto_rollback'", flag).size());
        b().contentType("application/json").body(Map.of("context", Map.of("userId", "u")))
                .post("/api/flags/{n}/evaluate", flag).then().body("enabled", equalTo(false))
                .body("reason", equalTo("disabled"));
        Api.admin().queryParam("reason", "test cleanup").delete("/api/admin/flags/{n}", flag);
    }

    private static double checks(RequestSpecification replica, String flag) {
        String text = replica.accept("text/plain").get("/q/metrics").asString();
        return text.lines().filter(line -> line.startsWith("rollgate_rollout_checks_total{")
                && line.contains("feature=\"" + flag + "\"")).mapToDouble(line -> Double.parseDouble(
                        line.substring(line.lastIndexOf(' ') + 1)))
                .sum();
    }

    @Test
    void twoCheckingReplicasPauseOnceAndAdvanceOnce() throws Exception {
        String pausing = "replica-pause-" + UUID.randomUUID();
        String advancing = "replica-advance-" + UUID.randomUUID();
        for (String flag : List.of(pausing, advancing)) {
            Api.admin().body(Map.of("reason", "test", "name", flag)).post("/api/admin/flags").then().statusCode(201);
        }
        try {
            Api.admin().body(Map.of("reason", "test", "featureName", pausing)).post("/api/admin/rollouts").then()
                    .statusCode(201);
            Api.admin().body(Map.of("reason", "test", "featureName", advancing, "policy", Map.of("autoAdvance", true)))
                    .post("/api/admin/rollouts").then().statusCode(201);
            for (String flag : List.of(pausing, advancing)) {
                Api.admin().body(Map.of("reason", "test")).post("/api/admin/rollouts/{f}/start", flag).then()
                        .statusCode(200);
            }
            bAs(Api.INGEST_TOKEN).body(Events.outcomes(pausing, 93, 7)).post("/api/rollout-events").then()
                    .statusCode(200);
            bAs(Api.INGEST_TOKEN).body(Events.outcomes(advancing, 100, 0)).post("/api/rollout-events").then()
                    .statusCode(200);
            Await.until(Duration.ofSeconds(15),
                    () -> "paused".equals(Api.viewer().get("/api/admin/rollouts/{f}", pausing)
                            .path("status")),
                    "the automatic pause");
            Await.until(Duration.ofSeconds(15), () -> Integer.valueOf(2).equals(Api.viewer()
                    .get("/api/admin/rollouts/{f}", advancing).path("tier")), "the automatic advance");
            // three more checks of the advanced rollout, on whichever replica claims each interval
            double seen = checks(Management.given(), advancing) + checks(bManagement(), advancing);
            Await.until(Duration.ofSeconds(15),
                    () -> checks(Management.given(), advancing) + checks(bManagement(), advancing) >= seen + 3,
                    "three more checks");
            assertEquals(1, TestDatabase.query("SELECT 1 FROM feature_flag_changes WHERE flag_path = ? "
                    + "AND action = 'rollout.auto_pause'", pausing).size());
            assertEquals(1, TestDatabase.query("SELECT 1 FROM feature_flag_changes WHERE flag_path = ? "
                    + "AND action = 'rollout.auto_advance'", advancing).size());
            assertEquals(2, (Integer) bAs(Api.VIEWER_TOKEN).get("/api/admin/rollouts/{f}", advancing).path("tier"));
        } finally {
            for (String flag : List.of(pausing, advancing)) {
                Api.admin().queryParam("reason", "test cleanup").delete("/api/admin/flags/{n}", flag);
            }
        }
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
