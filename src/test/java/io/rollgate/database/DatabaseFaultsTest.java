package io.rollgate.database;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.rollgate.support.Api;
import io.rollgate.support.Await;
import io.rollgate.support.Management;
import io.rollgate.support.Overrides;
import io.rollgate.support.TestDatabase;
import io.rollgate.support.TestIds;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What PostgreSQL does to a running service that no demo shows: a psql session left open holding the row every
 * captured write locks, and a database that answers but takes no writes (the old primary back as a standby behind
 * the endpoint after a failover, or one set read-only).
 */
@QuarkusTest
class DatabaseFaultsTest {

    /** More concurrent writes than the pool has connections (16): none may wait for the session to end. */
    private static final int WRITERS = 24;

    private record Timed(Response response, long millis) {
    }

    @Test
    void aForgottenTransactionHoldingTheRevisionCostsOnlyTheWritesThatNeedIt() throws Exception {
        String customer = TestIds.customer();
        List<Response> answers = new ArrayList<>();
        List<Long> millis = new ArrayList<>();
        // what BEGIN; UPDATE feature_flags ...; left open in psql does to every captured write
        try (Connection psql = TestDatabase.holding("SELECT revision FROM change_revision FOR UPDATE")) {
            ExecutorService writers = Executors.newFixedThreadPool(WRITERS);
            try {
                List<Future<Timed>> writes = new ArrayList<>();
                // the clock starts when every writer's client has made a request: the test client's own start-up
                // on 24 threads at once took seconds of a slow machine, and is not the service's answer
                CyclicBarrier started = new CyclicBarrier(WRITERS);
                for (int i = 0; i < WRITERS; i++) {
                    String id = customer + "-" + i;
                    writes.add(writers.submit(() -> {
                        Management.given().get("/q/health/live").then().statusCode(200);
                        started.await(30, TimeUnit.SECONDS);
                        long start = System.nanoTime();
                        Response response = Api.admin()
                                .body(Overrides.body(Overrides.phase2("enhancedStorage", true), "lock test"))
                                .put("/api/admin/customers/{id}/flags", id);
                        return new Timed(response, (System.nanoTime() - start) / 1_000_000);
                    }));
                }
                // meanwhile the widget, reads and readiness do not notice
                given().queryParam("customerId", customer).get("/api/widget/config").then().statusCode(200);
                Management.given().get("/q/health/ready").then().statusCode(200);
                for (Future<Timed> write : writes) {
                    answers.add(write.get().response());
                    millis.add(write.get().millis());
                }
            } finally {
                writers.shutdown();
            }
            // no statement of the service waits on in the database for the session to end
            // (a write answered 503 by the service's own bound, after waiting for a pooled connection, may still be in
            // its lock wait for up to the lock timeout)
            Await.until(Duration.ofSeconds(3), Duration.ofMillis(50), () -> TestDatabase.query("SELECT pid FROM "
                    + "pg_stat_activity WHERE datname = current_database() AND application_name = 'vertx-pg-client' "
                    + "AND wait_event_type = 'Lock'").isEmpty(),
                    "the service's statements to give up their lock waits");
            Management.given().get("/q/health/ready").then().statusCode(200);
            assertEquals("UP", Management.given().get("/q/health/ready").jsonPath()
                    .getString("checks.find { it.name == 'rollgate' }.data.database"),
                    "a lock held elsewhere says nothing of the database");
            psql.rollback();
        }
        for (int i = 0; i < WRITERS; i++) {
            Response answer = answers.get(i);
            assertEquals(503, answer.statusCode(), answer.asString());
            assertEquals(Api.PROBLEM_JSON, answer.contentType().split(";", 2)[0]);
            assertTrue(answer.header("Retry-After") != null, "503 says when to retry");
            // refused by the database's lock timeout (nothing changed), or by the service's own bound while it waited
            // for a connection and then the lock (the outcome left to read back)
            assertTrue(answer.asString().contains("nothing was changed") || answer.asString().contains("read it back"),
                    answer.asString());
            // the write timeout (5 s) at most, and the test client's share of two busy cores, not as long as the
            // session lasts
            assertTrue(millis.get(i) < 8_000, "answered in " + millis.get(i) + " ms, not held until the session ends");
        }
        assertTrue(answers.stream().anyMatch(answer -> answer.asString().contains("holds a lock")),
                "the refusal names the lock");
        // the session ended: the next write goes through
        Api.admin().body(Overrides.body(Overrides.phase2("enhancedStorage", true), "after the lock"))
                .put("/api/admin/customers/{id}/flags", customer).then().statusCode(200);
    }

    @Test
    void aDatabaseThatTakesNoWritesIsUnavailableUntilItDoesAgain() throws Exception {
        String customer = TestIds.customer();
        String database = (String) TestDatabase.query("SELECT current_database() AS name").get(0).get("name");
        try {
            TestDatabase.update("ALTER DATABASE " + database + " SET default_transaction_read_only = on");
            dropServiceConnections();
            Await.until(Duration.ofSeconds(15), Duration.ofMillis(100), () -> "DOWN".equals(databaseState()),
                    "the probe to find the database read-only");
            Api.admin().body(Overrides.body(Overrides.phase2("enhancedStorage", true), "read-only test"))
                    .put("/api/admin/customers/{id}/flags", customer).then().statusCode(503)
                    .contentType(Api.PROBLEM_JSON).header("Retry-After", org.hamcrest.Matchers.notNullValue());
            // widgets are answered from last known good data meanwhile
            given().queryParam("customerId", customer).get("/api/widget/config").then().statusCode(200);
        } finally {
            try (Connection connection = TestDatabase.connect(); Statement statement = connection.createStatement()) {
                // this session took the database's read-only default too
                statement.execute("SET SESSION CHARACTERISTICS AS TRANSACTION READ WRITE");
                statement.execute("ALTER DATABASE " + database + " RESET default_transaction_read_only");
            }
        }
        // the service's pooled connections still carry the read-only default they started with, as connections to a
        // demoted primary still lead there after the endpoint moved: the service must end them itself
        Await.until(Duration.ofSeconds(15), Duration.ofMillis(100), () -> "UP".equals(databaseState()),
                "the probe to find the database writable again");
        Await.until(Duration.ofSeconds(15), Duration.ofMillis(200),
                () -> Api.admin().body(Overrides.body(Overrides.phase2("enhancedStorage", true), "writable again"))
                        .put("/api/admin/customers/{id}/flags", customer).statusCode() == 200,
                "writes to be taken again");
        // and no connection of the pool still leads to a session that takes no writes: every write goes through
        for (int i = 0; i < 40; i++) {
            Api.admin().body(Overrides.body(Overrides.phase2("enhancedStorage", i % 2 == 0), "writable " + i))
                    .put("/api/admin/customers/{id}/flags", customer).then().statusCode(200);
        }
    }

    /** As a failover does: the service's connections end, and new ones take the database's settings. */
    private static void dropServiceConnections() {
        TestDatabase.query("SELECT pg_terminate_backend(pid) AS ended FROM pg_stat_activity "
                + "WHERE datname = current_database() AND application_name = 'vertx-pg-client'");
    }

    private static String databaseState() {
        return Management.given().get("/q/health/ready").jsonPath()
                .getString("checks.find { it.name == 'rollgate' }.data.database");
    }
}
