package io.rollgate.evaluation;

import static io.restassured.RestAssured.given;
import static io.rollgate.support.Overrides.body;
import static io.rollgate.support.Overrides.phase2;
import static org.hamcrest.Matchers.emptyString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.rollgate.support.Api;
import io.rollgate.support.Metrics;
import io.rollgate.support.TestIds;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
class WidgetConfigResourceTest {

    @Test
    void withoutACustomerTheProductionDefaultsOfSeed000AreServed() {
        given().get("/api/widget/config")
                .then().statusCode(200)
                .body("sessionPersistence.phase1.parentStorage", equalTo(true))
                .body("sessionPersistence.phase1.crossDomainMessaging", equalTo(true))
                .body("sessionPersistence.phase1.autoRestore", equalTo(true))
                .body("sessionPersistence.phase2.enhancedStorage", equalTo(false))
                .body("sessionPersistence.phase2.offlineMode", equalTo(false))
                .body("sessionPersistence.phase3.tabSync", equalTo(false))
                .body("evaluation.source", equalTo("environment"))
                .body("evaluation.environment", equalTo("production"))
                .body("evaluation.evaluatedAt", notNullValue())
                .body("evaluation.stale", equalTo(false));
    }

    @Test
    void anUnchangedConfigurationKeepsItsTagAndIsNotSentAgain() {
        String customer = TestIds.customer();
        String organization = TestIds.organization();
        Response first = given().queryParam("customerId", customer).queryParam("organizationId", organization)
                .get("/api/widget/config");
        first.then().statusCode(200).contentType("application/json").header("Cache-Control", "public, max-age=300");
        String etag = first.header("ETag");
        assertTrue(etag != null && etag.matches("W/\"[0-9a-f]{24}\""), etag);

        // asked again with the tag: 304, no body, the same tag
        given().queryParam("customerId", customer).queryParam("organizationId", organization)
                .header("If-None-Match", etag).get("/api/widget/config")
                .then().statusCode(304).header("ETag", etag).body(emptyString());
        // evaluated afresh (its documents dropped and read again): a new evaluation time, the same tag
        Api.admin().delete("/api/admin/cache/customers/{id}", customer).then().statusCode(200);
        Response again = given().queryParam("customerId", customer).queryParam("organizationId", organization)
                .get("/api/widget/config");
        assertEquals(etag, again.header("ETag"));
        // another customer, or the same customer without the organization, is another answer
        assertNotEquals(etag, given().queryParam("customerId", TestIds.customer())
                .queryParam("organizationId", organization).get("/api/widget/config").header("ETag"));
        assertNotEquals(etag, given().queryParam("customerId", customer).get("/api/widget/config").header("ETag"));

        // a change that decides the answer: the old tag gets the new configuration, with a new tag
        Api.admin().body(body(phase2("enhancedStorage", true), "beta"))
                .put("/api/admin/customers/{id}/flags", customer).then().statusCode(200);
        Response changed = given().queryParam("customerId", customer).queryParam("organizationId", organization)
                .header("If-None-Match", etag).get("/api/widget/config");
        changed.then().statusCode(200).body("sessionPersistence.phase2.enhancedStorage", equalTo(true));
        assertNotEquals(etag, changed.header("ETag"));
        given().queryParam("customerId", customer).queryParam("organizationId", organization)
                .header("If-None-Match", "W/\"000000000000000000000000\", " + changed.header("ETag"))
                .get("/api/widget/config").then().statusCode(304);
    }

    @Test
    void anAnswerIsKeptFromTheSecondTimeItIsAskedFor() {
        String customer = TestIds.customer();
        String organization = TestIds.organization();
        double kept = Metrics.value("rollgate_widget_rendered_answers", "");
        String first = given().queryParam("customerId", customer).queryParam("organizationId", organization)
                .get("/api/widget/config").then().statusCode(200).extract().header("ETag");
        // asked for once, as most customers of a large replica are: rendered, sent, not kept
        assertEquals(kept, Metrics.value("rollgate_widget_rendered_answers", ""));
        given().queryParam("customerId", customer).queryParam("organizationId", organization)
                .header("If-None-Match", first).get("/api/widget/config").then().statusCode(304);
        assertEquals(kept + 1, Metrics.value("rollgate_widget_rendered_answers", ""));
    }

    @Test
    void customerOverrideBeatsOrganizationOverrideBeatsEnvironment() {
        String customer = TestIds.customer();
        String organization = TestIds.organization();
        Api.admin().body(body(Map.of("sessionPersistence", Map.of("phase2",
                Map.of("enhancedStorage", false, "retryLogic", true))), "Organization-wide Phase 2 rollout"))
                .put("/api/admin/organizations/{id}/flags", organization).then().statusCode(200);
        Api.admin().body(body(phase2("enhancedStorage", true), "Customer requested beta access"))
                .put("/api/admin/customers/{id}/flags", customer).then().statusCode(200);

        given().queryParam("customerId", customer).queryParam("organizationId", organization)
                .get("/api/widget/config")
                .then().statusCode(200)
                .body("sessionPersistence.phase2.enhancedStorage", equalTo(true))
                .body("sessionPersistence.phase2.retryLogic", equalTo(true))
                .body("sessionPersistence.phase2.connectionMonitoring", equalTo(false))
                .body("evaluation.source", equalTo("customer_override"))
                .body("evaluation.customerId", equalTo(customer));

        given().queryParam("customerId", TestIds.customer()).queryParam("organizationId", organization)
                .get("/api/widget/config")
                .then().statusCode(200)
                .body("sessionPersistence.phase2.enhancedStorage", equalTo(false))
                .body("sessionPersistence.phase2.retryLogic", equalTo(true))
                .body("evaluation.source", equalTo("organization_override"));
    }

    @Test
    void phase3StaysOffWhilePhase2IsOffEvenWhenOverriddenOn() {
        String customer = TestIds.customer();
        Api.admin().body(body(Map.of("sessionPersistence", Map.of("phase3", Map.of("performanceMode", true))),
                "pilot")).put("/api/admin/customers/{id}/flags", customer).then().statusCode(200);
        given().queryParam("customerId", customer).get("/api/widget/config")
                .then().statusCode(200).body("sessionPersistence.phase3.performanceMode", equalTo(false));

        Api.admin().body(body(phase2("enhancedStorage", true), "pilot needs phase 2"))
                .patch("/api/admin/customers/{id}/flags", customer).then().statusCode(200);
        given().queryParam("customerId", customer).get("/api/widget/config")
                .then().statusCode(200).body("sessionPersistence.phase3.performanceMode", equalTo(true));
    }

    @Test
    void malformedIdsAreRefusedWith400() {
        given().queryParam("customerId", "a".repeat(129)).get("/api/widget/config")
                .then().statusCode(400).contentType(Api.PROBLEM_JSON)
                .body("errors[0].field", equalTo("customerId"));
        given().queryParam("organizationId", "acme corp").get("/api/widget/config")
                .then().statusCode(400).contentType(Api.PROBLEM_JSON)
                .body("errors[0].field", equalTo("organizationId"));
    }

    @Test
    void theEdgeRulesHoldOnTheWidgetsOwnRoute() throws InterruptedException {
        String customer = TestIds.customer();
        // the request id is echoed, and a refusal quotes it with every violation
        given().header("X-Request-Id", "support-ticket-42").queryParam("customerId", customer)
                .get("/api/widget/config").then().statusCode(200).header("X-Request-Id", "support-ticket-42");
        given().header("X-Request-Id", "support-ticket-43").queryParam("customerId", "a b")
                .queryParam("organizationId", "c d").get("/api/widget/config").then().statusCode(400)
                .contentType(Api.PROBLEM_JSON).body("correlationId", equalTo("support-ticket-43"))
                .body("errors.field", equalTo(java.util.List.of("customerId")))
                .body("instance", equalTo("/api/widget/config"));
        // HEAD answers the headers of GET without the body; other methods are refused with what is allowed
        String etag = given().queryParam("customerId", customer).get("/api/widget/config").header("ETag");
        given().queryParam("customerId", customer).head("/api/widget/config").then().statusCode(200)
                .header("ETag", etag).body(emptyString());
        given().post("/api/widget/config").then().statusCode(405).header("Allow", "GET, HEAD")
                .contentType(Api.PROBLEM_JSON);
        // a declared body over the limit is refused before it is read, as on every other endpoint
        given().header("X-Request-Id", "support-ticket-44").queryParam("customerId", customer)
                .body("x".repeat(70 * 1024)).get("/api/widget/config").then().statusCode(413)
                .contentType(Api.PROBLEM_JSON).body("correlationId", equalTo("support-ticket-44"));
        // the dashboard's request rate and latency read the route's requests under its path, by method and status,
        // as the server's own metrics tag every other request
        String etagNow = given().queryParam("customerId", customer).get("/api/widget/config").then().statusCode(200)
                .extract().header("ETag");
        counted("GET", "SUCCESS", 200,
                () -> given().queryParam("customerId", customer).get("/api/widget/config").then().statusCode(200));
        counted("GET", "REDIRECTION", 304, () -> given().queryParam("customerId", customer)
                .header("If-None-Match", etagNow).get("/api/widget/config").then().statusCode(304));
        counted("HEAD", "SUCCESS", 200,
                () -> given().queryParam("customerId", customer).head("/api/widget/config").then().statusCode(200));
        counted("GET", "CLIENT_ERROR", 400,
                () -> given().queryParam("customerId", "not an id").get("/api/widget/config").then().statusCode(400));
        counted("POST", "CLIENT_ERROR", 405, () -> given().post("/api/widget/config").then().statusCode(405));
        counted("GET", "CLIENT_ERROR", 413, () -> given().queryParam("customerId", customer)
                .body("x".repeat(70 * 1024)).get("/api/widget/config").then().statusCode(413));
        // with the latency buckets the dashboard's quantiles read
        assertTrue(
                Metrics.value("http_server_requests_seconds_bucket", "method=\"GET\",outcome=\"SUCCESS\","
                        + "status=\"200\",uri=\"/api/widget/config\",le=\"0.005\"") > 0,
                "the page loads' latency buckets");
    }

    /** Runs {@code request} and sees it counted once, under the route's path with its method and status. */
    private static void counted(String method, String outcome, int status, Runnable request)
            throws InterruptedException {
        String series = "method=\"" + method + "\",outcome=\"" + outcome + "\",status=\"" + status
                + "\",uri=\"/api/widget/config\"";
        double before = Metrics.value("http_server_requests_seconds_count", series);
        request.run();
        // recorded as the answer ends, which the client may see first
        io.rollgate.support.Await.until(java.time.Duration.ofSeconds(2),
                () -> Metrics.value("http_server_requests_seconds_count", series) > before, series + " counted");
        assertEquals(1.0, Metrics.value("http_server_requests_seconds_count", series) - before, series);
    }

    @Test
    void anEmptyCustomerIdIsTreatedAsNone() {
        given().queryParam("customerId", "").get("/api/widget/config").then().statusCode(200)
                .body("evaluation.customerId", equalTo(null))
                .body("evaluation.source", equalTo("environment"));
    }

    @Test
    void idsOfAnyOpaqueShapeAreAccepted() {
        given().queryParam("customerId", "3f0e0c44-7a0b-4b8e-9a49-1d1a2b3c4d5e")
                .queryParam("organizationId", "org:acme.eu_1")
                .get("/api/widget/config").then().statusCode(200)
                .body("sessionPersistence.phase1.parentStorage", equalTo(true));
    }

    @Test
    void retryLogicOverrideShowsOnlyForThatCustomer() {
        String customer = TestIds.customer();
        Api.admin().body(body(phase2("retryLogic", true), "beta")).put("/api/admin/customers/{id}/flags", customer)
                .then().statusCode(200);
        given().queryParam("customerId", customer).get("/api/widget/config").then()
                .body("sessionPersistence.phase2.retryLogic", equalTo(true));
        given().queryParam("customerId", TestIds.customer()).get("/api/widget/config").then()
                .body("sessionPersistence.phase2.retryLogic", equalTo(false));
    }
}
