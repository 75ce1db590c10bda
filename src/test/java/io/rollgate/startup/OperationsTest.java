package io.rollgate.startup;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.rollgate.http.Problem;
import io.rollgate.support.Api;
import io.rollgate.support.Await;
import io.rollgate.support.Management;
import io.rollgate.support.Metrics;
import io.rollgate.support.Overrides;
import io.rollgate.support.TestDatabase;
import io.rollgate.support.TestIds;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

@QuarkusTest
class OperationsTest {

    @Test
    void readinessIsUpWithTheDatabaseStateInItsData() {
        Management.given().get("/q/health/ready").then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.find { it.name == 'rollgate' }.data.database", equalTo("UP"))
                .body("checks.find { it.name == 'rollgate' }.data.catalogLoaded", equalTo(true))
                .body("checks.find { it.name == 'rollgate' }.data.flags", greaterThan(10));
        Management.given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
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

        String metrics = Management.given().get("/q/metrics").then().statusCode(200)
                .body(containsString("rollgate_override_cache_requests_total"))
                .body(containsString("jvm_memory_used_bytes"))
                .body(containsString("http_server_requests_seconds"))
                .extract().asString();
        assertTrue(!metrics.contains(customer), "customer ids must never become metric labels");
    }

    @Test
    void aRequestWithoutATokenIsAProblemCountedUnderItsPathTemplate() throws InterruptedException {
        String customer = TestIds.customer();
        String series = "status=\"401\",uri=\"/api/admin/customers/{customerId}/flags\"";
        double before = Metrics.value("http_server_requests_seconds_count", series);
        given().get("/api/admin/customers/{id}/flags", customer).then().statusCode(401)
                .contentType(Problem.MEDIA_TYPE).body("status", equalTo(401));
        // the template, never the id, names the series: one per endpoint, not one per customer asked for
        Await.until(Duration.ofSeconds(5),
                () -> Metrics.value("http_server_requests_seconds_count", series) == before + 1,
                "the refused request is counted under its path template");
        String metrics = Management.given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertTrue(!metrics.contains(customer), "customer ids must never become metric labels");
    }

    @Test
    void theOpenApiDocumentAndSwaggerUiAreServed() {
        Management.given().accept("application/json").get("/q/openapi").then().statusCode(200)
                .body("paths.'/api/widget/config'.get", org.hamcrest.Matchers.notNullValue())
                .body("components.securitySchemes.bearer.scheme", equalTo("bearer"));
        Management.given().get("/q/swagger-ui/").then().statusCode(200);
    }

    @Test
    void operationsEndpointsAreNotOnTheServingPort() {
        // the public port (the one the Ingress routes) reveals no flag names, error rates or API internals
        for (String path : new String[]{ "/q/metrics", "/q/health/ready", "/q/health", "/q/openapi",
                "/q/swagger-ui/" }) {
            given().get(path).then().statusCode(404);
            Management.given().get(path).then().statusCode(200);
        }
    }

    @Test
    void everyRequestCarriesOneCorrelationIdIntoItsAnswerAndItsLogLines() throws Exception {
        String id = "ops-test-" + TestIds.customer();
        String customer = TestIds.customer();
        Api.admin().header("X-Request-Id", id)
                .body(Overrides.body(Overrides.phase2("enhancedStorage", true), "correlation check"))
                .put("/api/admin/customers/{id}/flags", customer).then().statusCode(200).header("X-Request-Id", id);
        // the change is logged on a later step of the request, and still carries its id
        Path log = Path.of("target/rollgate-test.log");
        assertTrue(Files.readAllLines(log).stream().anyMatch(line -> line.contains("[" + id + "]")
                && line.contains(customer)), "the change's log line names the request's correlation id");
        // an id that is not safe to log is replaced, and the problem document quotes the one answered
        String answered = given().header("X-Request-Id", "bad id\r\nforged: yes").get("/api/admin/flags").then()
                .statusCode(401).extract().header("X-Request-Id");
        assertTrue(answered.matches("[0-9a-f-]{36}"), answered);
        given().header("X-Request-Id", id).get("/api/admin/flags").then().statusCode(401)
                .header("X-Request-Id", id).body("correlationId", equalTo(id));
    }

    @Test
    void thePoolsGaugesAreRegisteredOnceWhateverTheConnectionsOpened() throws Exception {
        // concurrent reads make the pool open connections beside the first; each used to register the client's
        // gauges again under the same name (a warning, and a gauge that followed one connection)
        java.util.concurrent.ExecutorService readers = java.util.concurrent.Executors.newFixedThreadPool(8);
        try {
            List<java.util.concurrent.Future<?>> reads = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                reads.add(readers.submit(() -> Api.admin().get("/api/admin/audit").then()
                        .statusCode(200)));
            }
            for (java.util.concurrent.Future<?> read : reads) {
                read.get();
            }
        } finally {
            readers.shutdown();
        }
        Await.until(Duration.ofSeconds(10), Duration.ofMillis(100),
                () -> ((Number) TestDatabase.query("SELECT count(*) AS n FROM pg_stat_activity WHERE datname = "
                        + "current_database() AND application_name = 'vertx-pg-client'").get(0).get("n"))
                        .intValue() >= 3,
                "the pool to hold two connections beside the change feed's");
        String metrics = Management.given().accept("text/plain").get("/q/metrics").then().statusCode(200).extract()
                .asString();
        assertTrue(metrics.contains("sql_pool_queue_size{"), "the pool reports its queue");
        assertTrue(metrics.contains("clientType=\"sql\""), "the client's timers and counters stay");
        assertFalse(java.util.regex.Pattern.compile("(?m)^\\S*(queue_size|current)\\{[^}]*clientType=\"sql\"")
                .matcher(metrics).find(), "no gauge follows one connection of the pool");
        assertFalse(Files.readString(Path.of("target/rollgate-test.log")).contains("has been already registered"),
                "no meter is registered twice");
    }

    @Test
    void unknownPathsAndMethodsAnswerProblemJson() {
        Api.admin().get("/api/admin/nothing-here").then().statusCode(404).contentType(Api.PROBLEM_JSON);
        given().delete("/api/widget/config").then().statusCode(405).contentType(Api.PROBLEM_JSON);
    }
}
