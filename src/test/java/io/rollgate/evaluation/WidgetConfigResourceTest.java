package io.rollgate.evaluation;

import static io.restassured.RestAssured.given;
import static io.rollgate.support.Overrides.body;
import static io.rollgate.support.Overrides.phase2;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import io.quarkus.test.junit.QuarkusTest;
import io.rollgate.support.Api;
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
