package io.rollgate.security;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.rollgate.support.Api;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
@TestProfile(LockedDownProfile.class)
class LockedDownTest {

    @Test
    void publicEndpointsAreRateLimitedPerClient() {
        String client = "203.0.113.10";
        for (int i = 0; i < 5; i++) {
            given().header("X-Forwarded-For", client).get("/api/widget/config").then().statusCode(200);
        }
        given().header("X-Forwarded-For", client).get("/api/widget/config").then().statusCode(429)
                .contentType(Api.PROBLEM_JSON)
                .header("Retry-After", "10");
        // the limit is per client: another address still has its whole burst
        given().header("X-Forwarded-For", "203.0.113.11").get("/api/widget/config").then().statusCode(200);
        // the path the router matches is what counts, however the request spells it
        for (String variant : java.util.List.of("//api/widget/config", "/api/./widget/config",
                "/api/flags/../widget/config")) {
            given().header("X-Forwarded-For", client).urlEncodingEnabled(false).get(variant).then().statusCode(429);
        }
        // the admin API is not a public endpoint: tokens, not rate limits, guard it
        Api.admin().header("X-Forwarded-For", client).get("/api/admin/feature-flags").then().statusCode(200);
    }

    @Test
    void evaluationNeedsAnEvaluationToken() {
        // a client of its own, so the rate limit test's requests do not count against these
        String client = "203.0.113.20";
        String body = "{\"context\": {\"targetingKey\": \"c-1\"}}";
        given().header("X-Forwarded-For", client).contentType("application/json").body(body)
                .post("/ofrep/v1/evaluate/flags")
                .then().statusCode(401);
        Api.viewer().header("X-Forwarded-For", client).body(body).post("/ofrep/v1/evaluate/flags").then()
                .statusCode(403);
        String evaluation = Api.admin().body(Map.of("reason", "test", "name", "locked-down sdk", "role", "evaluation"))
                .post("/api/admin/tokens").then().statusCode(201).extract().path("token");
        Api.as(evaluation).header("X-Forwarded-For", client).body(body).post("/ofrep/v1/evaluate/flags").then()
                .statusCode(200);
        Api.as(evaluation).header("X-Forwarded-For", client).body(Map.of("context", Map.of("userId", "u")))
                .post("/api/flags/{n}/evaluate",
                        "phase1_auto_restore")
                .then().statusCode(200).body("enabled", equalTo(true));
    }
}
