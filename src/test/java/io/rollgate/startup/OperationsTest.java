package io.rollgate.startup;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.rollgate.support.Api;
import io.rollgate.support.Metrics;
import io.rollgate.support.TestIds;
import org.junit.jupiter.api.Test;

@QuarkusTest
class OperationsTest {

    @Test
    void readinessIsUpWithTheDatabaseStateInItsData() {
        given().get("/q/health/ready").then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.find { it.name == 'rollgate' }.data.database", equalTo("UP"))
                .body("checks.find { it.name == 'rollgate' }.data.catalogLoaded", equalTo(true))
                .body("checks.find { it.name == 'rollgate' }.data.flags", greaterThan(10));
        given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
    }

    @Test
    void evaluationsAreCountedBySourceWithoutCustomerIds() {
        String customer = TestIds.customer();
        double environment = Metrics.value("rollgate_flag_evaluations_total", "source=\"environment\"");
        double prerequisite = Metrics.value("rollgate_flag_evaluations_total", "source=\"prerequisite\"");
        given().queryParam("customerId", customer).get("/api/widget/config").then().statusCode(200);
        // production: phases 1 and 2 come from the environment, phase 3 is held off by phase 2
        assertTrue(Metrics.value("rollgate_flag_evaluations_total", "source=\"environment\"") - environment >= 7);
        assertTrue(Metrics.value("rollgate_flag_evaluations_total", "source=\"prerequisite\"") - prerequisite >= 4);

        String metrics = given().get("/q/metrics").then().statusCode(200)
                .body(containsString("rollgate_override_cache_requests_total"))
                .body(containsString("jvm_memory_used_bytes"))
                .body(containsString("http_server_requests_seconds"))
                .extract().asString();
        assertTrue(!metrics.contains(customer), "customer ids must never become metric labels");
    }

    @Test
    void theOpenApiDocumentAndSwaggerUiAreServed() {
        given().accept("application/json").get("/q/openapi").then().statusCode(200)
                .body("paths.'/api/widget/config'.get", org.hamcrest.Matchers.notNullValue())
                .body("components.securitySchemes.bearer.scheme", equalTo("bearer"));
        given().get("/q/swagger-ui/").then().statusCode(200);
    }

    @Test
    void unknownPathsAndMethodsAnswerProblemJson() {
        Api.admin().get("/api/admin/nothing-here").then().statusCode(404).contentType(Api.PROBLEM_JSON);
        given().delete("/api/widget/config").then().statusCode(405).contentType(Api.PROBLEM_JSON);
    }
}
