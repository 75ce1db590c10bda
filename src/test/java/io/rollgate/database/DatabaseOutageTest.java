package io.rollgate.database;

import static io.restassured.RestAssured.given;
import static io.rollgate.support.Overrides.body;
import static io.rollgate.support.Overrides.phase2;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import io.rollgate.support.Api;
import io.rollgate.support.Await;
import io.rollgate.support.EventStream;
import io.rollgate.support.Management;
import io.rollgate.support.Metrics;
import io.rollgate.support.Overrides;
import io.rollgate.support.TestDatabase;
import io.rollgate.support.TestIds;
import java.time.Duration;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * With PostgreSQL unreachable the widget keeps its answers (marked stale), admin writes answer 503 and
 * store nothing, readiness stays UP; when PostgreSQL returns everything recovers without a restart.
 */
@QuarkusTest
@TestProfile(DatabaseOutageProfile.class)
class DatabaseOutageTest {

    @AfterEach
    void restoreDatabase() throws Exception {
        DatabaseOutageProfile.proxy.restore();
        await(() -> "UP".equals(databaseState()), "database back UP");
    }

    @Test
    void theWidgetKeepsItsLastKnownGoodConfigWhileTheDatabaseIsDown() throws Exception {
        String customer = TestIds.customer();
        String organization = TestIds.organization();
        Api.admin().body(body(phase2("enhancedStorage", true), "beta")).put("/api/admin/customers/{id}/flags", customer)
                .then().statusCode(200);
        Api.admin().body(body(phase2("retryLogic", true), "org beta"))
                .put("/api/admin/organizations/{id}/flags", organization).then().statusCode(200);
        widget(customer, organization).then().statusCode(200)
                .body("sessionPersistence.phase2.enhancedStorage", equalTo(true))
                .body("evaluation.stale", equalTo(false));
        // drop the fresh cache so only last known good data is left to answer from
        Api.admin().delete("/api/admin/cache").then().statusCode(200);

        DatabaseOutageProfile.proxy.cut();

        widget(customer, organization).then().statusCode(200)
                .body("sessionPersistence.phase2.enhancedStorage", equalTo(true))
                .body("sessionPersistence.phase2.retryLogic", equalTo(true))
                .body("evaluation.source", equalTo("customer_override"))
                .body("evaluation.stale", equalTo(true))
                // an answer from last known good data is not for a CDN or browser to keep
                .header("Cache-Control", "no-cache");
        widget(TestIds.customer(), null).then().statusCode(200)
                .body("sessionPersistence.phase1.parentStorage", equalTo(true))
                .body("sessionPersistence.phase2.enhancedStorage", equalTo(false))
                .body("evaluation.stale", equalTo(true));

        await(() -> "DOWN".equals(databaseState()), "readiness to report the database DOWN");
        Management.given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
        assertEquals(0.0, Metrics.value("rollgate_database_up", ""));

        DatabaseOutageProfile.proxy.restore();
        await(() -> "UP".equals(databaseState()), "database back UP");
        await(() -> Boolean.FALSE.equals(widget(customer, organization).path("evaluation.stale")), "fresh answers");
        widget(customer, organization).then().body("sessionPersistence.phase2.enhancedStorage", equalTo(true));
    }

    @Test
    void aConnectionLostAfterCommitIsAnOutcomeUnknownNotNothingChanged() throws Exception {
        String customer = TestIds.customer();
        DatabaseOutageProfile.proxy.cutAfterCommit(customer);
        Response answer = Api.admin().body(Overrides.body(Overrides.phase2("enhancedStorage", true), "commit lost"))
                .put("/api/admin/customers/{id}/flags", customer);
        assertEquals(503, answer.statusCode(), answer.asString());
        assertTrue(answer.asString().contains("read it back"), answer.asString());
        assertFalse(answer.asString().contains("nothing was changed"), answer.asString());
        // and it was stored: the answer was right not to say otherwise
        assertEquals(1, TestDatabase.query("SELECT 1 FROM customer_feature_flags WHERE customer_id = ?", customer)
                .size());
    }

    @Test
    void adminWritesAnswer503AndStoreNothingWhileTheDatabaseIsDown() throws Exception {
        String customer = TestIds.customer();
        DatabaseOutageProfile.proxy.cut();

        Api.admin().body(body(phase2("enhancedStorage", true), "during outage"))
                .put("/api/admin/customers/{id}/flags", customer)
                .then().statusCode(503).contentType(Api.PROBLEM_JSON).header("Retry-After", notNullValue());
        Api.admin().body(Map.of("featureName", "phase2_retry_logic", "enabled", true, "customerId", customer,
                "reason", "during outage"))
                .post("/api/admin/feature-flags")
                .then().statusCode(503).header("Retry-After", notNullValue());

        DatabaseOutageProfile.proxy.restore();
        await(() -> "UP".equals(databaseState()), "database back UP");
        assertTrue(
                TestDatabase.query("SELECT 1 FROM customer_feature_flags WHERE customer_id = ?", customer).isEmpty());
        assertTrue(TestDatabase.query("SELECT 1 FROM feature_flag_changes WHERE customer_id = ?", customer).isEmpty());

        Api.admin().body(body(phase2("enhancedStorage", true), "after outage"))
                .put("/api/admin/customers/{id}/flags", customer).then().statusCode(200);
        widget(customer, null).then().body("sessionPersistence.phase2.enhancedStorage", equalTo(true))
                .body("evaluation.stale", equalTo(false));
    }

    @Test
    void aStreamSentLastKnownGoodDataGetsItsFreshConfigurationOnceTheDatabaseIsBack() throws Exception {
        String customer = TestIds.customer();
        Api.admin().body(body(phase2("enhancedStorage", true), "beta")).put("/api/admin/customers/{id}/flags", customer)
                .then().statusCode(200);
        Api.admin().delete("/api/admin/cache").then().statusCode(200);
        DatabaseOutageProfile.proxy.cut();
        try (EventStream stream = EventStream.open(8081, "/api/widget/config/stream?customerId=" + customer, null)) {
            EventStream.Event first = stream.next(Duration.ofSeconds(10));
            assertTrue(first.data().contains("\"stale\":true") && first.data().contains("\"enhancedStorage\":true"),
                    first.data());

            // nothing changes meanwhile: the stream is sent its configuration again only because the database is back
            DatabaseOutageProfile.proxy.restore();
            EventStream.Event fresh = stream.next(Duration.ofSeconds(10));
            assertTrue(fresh.data().contains("\"stale\":false") && fresh.data().contains("\"enhancedStorage\":true"),
                    fresh.data());
        }
    }

    private static io.restassured.response.Response widget(String customer, String organization) {
        var request = given().queryParam("customerId", customer);
        if (organization != null) {
            request.queryParam("organizationId", organization);
        }
        return request.get("/api/widget/config");
    }

    private static String databaseState() {
        return Management.given().get("/q/health/ready").path("checks.find { it.name == 'rollgate' }.data.database");
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        Await.until(Duration.ofSeconds(15), Duration.ofMillis(100), condition, what);
    }
}
