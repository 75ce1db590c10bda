package io.rollgate.database;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.rollgate.support.Api;
import io.rollgate.support.Await;
import io.rollgate.support.Management;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A service started before its database is not ready, says why, and becomes ready on its own. */
@QuarkusTest
@TestProfile(ColdStartProfile.class)
class StartWithoutDatabaseTest {

    @Test
    void notReadyUntilMigrationsAndTheFirstCatalogLoadThenReadyWithoutARestart() throws Exception {
        Management.given().get("/q/health/ready").then().statusCode(503)
                .body("checks.find { it.name == 'rollgate' }.data.catalogLoaded", equalTo(false));
        Management.given().get("/q/health/live").then().statusCode(200);
        given().get("/api/widget/config").then().statusCode(503).contentType(Api.PROBLEM_JSON)
                .header("Retry-After", org.hamcrest.Matchers.notNullValue());

        DatabaseOutageProfile.proxy.restore();

        Await.until(Duration.ofSeconds(20), Duration.ofMillis(200),
                () -> Management.given().get("/q/health/ready").statusCode() == 200,
                "the service to become ready after the database came back");
        Management.given().get("/q/health/ready").then()
                .body("checks.find { it.name == 'rollgate' }.data.migrated", equalTo(true))
                .body("checks.find { it.name == 'rollgate' }.data.database", equalTo("UP"));
        given().get("/api/widget/config").then().statusCode(200)
                .body("sessionPersistence.phase1.parentStorage", equalTo(true))
                .body("evaluation.stale", equalTo(false));
    }
}
