package io.rollgate.security;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.rollgate.support.Api;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
@TestProfile(LockedDownProfile.class)
class LockedDownTest {

    @Test
    void publicEndpointsAreRateLimitedPerClient() throws Exception {
        Thread.sleep(1_100);
        int limited = 0;
        for (int i = 0; i < 12; i++) {
            int status = given().get("/api/widget/config").statusCode();
            if (status == 429) {
                limited++;
            }
        }
        assertTrue(limited > 0, "12 requests at once above a burst of 5 must be limited");
        given().get("/api/widget/config").then().statusCode(429).contentType(Api.PROBLEM_JSON)
                .header("Retry-After", notNullValue());
        // the admin API is not a public endpoint: tokens, not rate limits, guard it
        Api.admin().get("/api/admin/feature-flags").then().statusCode(200);
    }

    @Test
    void evaluationNeedsAnEvaluationToken() throws Exception {
        Thread.sleep(1_100);
        String body = "{\"context\": {\"targetingKey\": \"c-1\"}}";
        given().contentType("application/json").body(body).post("/ofrep/v1/evaluate/flags")
                .then().statusCode(401);
        Api.viewer().body(body).post("/ofrep/v1/evaluate/flags").then().statusCode(403);
        String evaluation = Api.admin().body(Map.of("name", "locked-down sdk", "role", "evaluation"))
                .post("/api/admin/tokens").then().statusCode(201).extract().path("token");
        Api.as(evaluation).body(body).post("/ofrep/v1/evaluate/flags").then().statusCode(200);
        Api.as(evaluation).body(Map.of("context", Map.of("userId", "u"))).post("/api/flags/{n}/evaluate",
                "phase1_auto_restore").then().statusCode(200).body("enabled", equalTo(true));
    }
}
