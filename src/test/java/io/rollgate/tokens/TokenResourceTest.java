package io.rollgate.tokens;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.quarkus.test.junit.QuarkusTest;
import io.rollgate.support.Api;
import io.rollgate.support.Await;
import io.rollgate.support.Overrides;
import io.rollgate.support.TestDatabase;
import io.rollgate.support.TestIds;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
class TokenResourceTest {

    private static Map<String, Object> create(Map<String, Object> body) {
        Map<String, Object> withReason = new java.util.HashMap<>(body);
        withReason.putIfAbsent("reason", "test token");
        return Api.admin().body(withReason).post("/api/admin/tokens").then().statusCode(201)
                .body("token", startsWith("rg_")).extract().as(Map.class);
    }

    @Test
    void theSecretIsShownOnceAndNeverStoredListedAuditedOrLogged() throws Exception {
        Map<String, Object> created = create(Map.of("name", "checkout proxy", "role", "ingest", "reason", "new proxy"));
        String secret = (String) created.get("token");
        // the random part, after "rg_", the id's 32 hex digits and "_": itself base64url, so it may hold '_' too,
        // and the text after its last one can be a letter or two that any log contains
        String random = secret.substring("rg_".length() + 33);
        assertEquals(43, random.length(), secret);
        String list = Api.admin().get("/api/admin/tokens").then().statusCode(200)
                .body("id", hasItem(created.get("id"))).extract().asString();
        assertFalse(list.contains(secret));
        assertFalse(list.contains(random));
        String audit = TestDatabase.query("SELECT string_agg(coalesce(details::text, '') || coalesce(reason, '') "
                + "|| subject, '|') AS all FROM feature_flag_changes WHERE subject_type = 'token'").get(0).get("all")
                .toString();
        assertFalse(audit.contains(random));
        Api.as(secret).body(io.rollgate.support.Events.outcomes("phase1_auto_restore", 1, 0))
                .post("/api/rollout-events").then().statusCode(200);
        String stored = TestDatabase.query("SELECT encode(secret_hash, 'hex') AS h FROM api_tokens WHERE id = ?::uuid",
                created.get("id")).get(0).get("h").toString();
        assertFalse(stored.contains(secret));
        Path log = Path.of("target/rollgate-test.log");
        if (Files.exists(log)) {
            assertFalse(Files.readString(log).contains(random),
                    "a token secret reached the log");
        }
    }

    @Test
    void aRevokedOrExpiredTokenIsRefused() throws Exception {
        Map<String, Object> created = create(Map.of("name", "short-lived", "role", "viewer"));
        String token = (String) created.get("token");
        Api.as(token).get("/api/admin/feature-flags").then().statusCode(200);
        Api.admin().queryParam("reason", "x".repeat(1001)).delete("/api/admin/tokens/{id}", created.get("id"))
                .then().statusCode(400);
        Api.as(token).get("/api/admin/feature-flags").then().statusCode(200);
        Api.admin().queryParam("reason", "rotated").delete("/api/admin/tokens/{id}", created.get("id"))
                .then().statusCode(204);
        Api.as(token).get("/api/admin/feature-flags").then().statusCode(401).contentType(Api.PROBLEM_JSON);
        // audited in the shape every change has: the token before and after
        Api.viewer().queryParam("subjectType", "token").queryParam("subject", created.get("id"))
                .queryParam("action", "token.revoke").get("/api/admin/audit").then().statusCode(200)
                .body("items[0].details.before.revoked", org.hamcrest.Matchers.equalTo(false))
                .body("items[0].details.after.revoked", org.hamcrest.Matchers.equalTo(true))
                .body("items[0].details.after.name", org.hamcrest.Matchers.equalTo("short-lived"));
        Api.admin().queryParam("reason", "test cleanup").delete("/api/admin/tokens/{id}", created.get("id")).then()
                .statusCode(404);

        String expiring = (String) create(Map.of("name", "expiring", "role", "viewer",
                "expiresAt", OffsetDateTime.now(java.time.ZoneOffset.UTC).plusSeconds(3).toString())).get("token");
        Api.as(expiring).get("/api/admin/feature-flags").then().statusCode(200);
        // refused once its time is up, without a restart or a revocation
        Await.until(Duration.ofSeconds(10), Duration.ofMillis(100),
                () -> Api.as(expiring).get("/api/admin/feature-flags").statusCode() == 401, "the token expired");
        Api.as(expiring).get("/api/admin/feature-flags").then().statusCode(401).contentType(Api.PROBLEM_JSON);
        // a well-formed token that was never issued, and a tampered secret
        Api.as(token.substring(0, token.length() - 2) + "xx").get("/api/admin/feature-flags").then().statusCode(401);
    }

    @Test
    void theListNamesTheConfiguredTokensAndWhenEachTokenWasLastUsed() throws Exception {
        Map<String, Object> created = create(Map.of("name", "usage probe", "role", "viewer"));
        String id = (String) created.get("id");
        List<Map<String, Object>> before = Api.admin().get("/api/admin/tokens").then().statusCode(200).extract()
                .jsonPath().getList("findAll { it.id == '" + id + "' }");
        assertEquals(null, before.get(0).get("lastUsedAt"), "not used yet");
        Api.as((String) created.get("token")).get("/api/admin/session").then().statusCode(200);
        // at once on this replica, from memory
        Api.admin().get("/api/admin/tokens").then().statusCode(200)
                .body("find { it.id == '" + id + "' }.lastUsedAt", org.hamcrest.Matchers.notNullValue())
                .body("find { it.name == 'rollgate.security.admin-token' }.source", equalTo("configuration"))
                .body("find { it.name == 'rollgate.security.admin-token' }.lastUsedAt",
                        org.hamcrest.Matchers.notNullValue())
                .body("find { it.name == 'rollgate.security.admin-token' }.id", org.hamcrest.Matchers.nullValue());
        // and written for the other replicas within the interval (a second in tests)
        io.rollgate.support.Await.until(java.time.Duration.ofSeconds(10), () -> !TestDatabase
                .query("SELECT 1 FROM token_usage WHERE token_key = ?", id).isEmpty(), "the use written");
        Api.admin().queryParam("reason", "test cleanup").delete("/api/admin/tokens/{id}", id).then().statusCode(204);
    }

    @Test
    void badTokenRequestsAreRefused() {
        Api.admin().body(Map.of("reason", "test", "name", "x", "role", "superuser")).post("/api/admin/tokens").then()
                .statusCode(400)
                .body("errors[0].field", equalTo("role"));
        Api.admin().body(Map.of("reason", "test", "name", "x", "role", "organization-operator"))
                .post("/api/admin/tokens")
                .then().statusCode(400).body("errors[0].field", equalTo("organizationId"));
        Api.admin().body(Map.of("reason", "test", "name", "x", "role", "viewer", "expiresAt", "2020-01-01T00:00:00Z"))
                .post("/api/admin/tokens").then().statusCode(400).body("errors[0].field", equalTo("expiresAt"));
        Api.admin().queryParam("reason", "test cleanup").delete("/api/admin/tokens/{id}", "not-a-uuid").then()
                .statusCode(400);
        Api.admin().body(Map.of("name", "x", "role", "viewer", "reason", "x".repeat(1001)))
                .post("/api/admin/tokens").then().statusCode(400).body("errors[0].field", equalTo("reason"));
    }

    @Test
    void anOperatorChangesFlagsButNotTokensAndTheAuditNamesIt() {
        String operator = (String) create(Map.of("name", "release-bot", "role", "operator")).get("token");
        String customer = TestIds.customer();
        Api.as(operator).body(Overrides.body(Overrides.phase2("enhancedStorage", true), "beta"))
                .put("/api/admin/customers/{id}/flags", customer).then().statusCode(200);
        assertEquals(List.of(Map.of("changed_by", "token:release-bot")), TestDatabase.query(
                "SELECT changed_by FROM feature_flag_changes WHERE customer_id = ?", customer));
        Api.as(operator).body(Map.of("reason", "test", "name", "escalate", "role", "admin")).post("/api/admin/tokens")
                .then().statusCode(403);
    }

    @Test
    void anOrganizationScopedTokenTouchesOnlyItsOrganization() {
        String organization = TestIds.organization();
        String scoped = (String) create(Map.of("name", "acme ops", "role", "organization-operator",
                "organizationId", organization)).get("token");
        Api.as(scoped).body(Overrides.body(Overrides.phase2("retryLogic", true), "acme beta"))
                .put("/api/admin/organizations/{id}/flags", organization).then().statusCode(200);
        Api.as(scoped).get("/api/admin/organizations/{id}/flags", organization).then().statusCode(200);
        Api.as(scoped).body(Overrides.body(Overrides.phase2("retryLogic", true), "not mine"))
                .put("/api/admin/organizations/{id}/flags", TestIds.organization()).then().statusCode(403);
        Api.as(scoped).body(Overrides.body(Overrides.phase2("retryLogic", true), "a customer"))
                .put("/api/admin/customers/{id}/flags", TestIds.customer()).then().statusCode(403);
        Api.as(scoped).body(Map.of("global", true, "featureName", "phase2_retry_logic", "enabled", false,
                "reason", "x")).post("/api/admin/feature-flags").then().statusCode(403);
        given().queryParam("organizationId", organization).get("/api/widget/config").then()
                .body("sessionPersistence.phase2.retryLogic", equalTo(true));
    }

    @Test
    void corsPreflightIsAnsweredForAllowedOriginsOnly() {
        given().header("Origin", "https://shop.example.com").header("Access-Control-Request-Method", "GET")
                .options("/api/widget/config").then().statusCode(204)
                .header("Access-Control-Allow-Origin", "https://shop.example.com");
        given().header("Origin", "https://evil.example.net").header("Access-Control-Request-Method", "GET")
                .options("/api/widget/config").then().statusCode(403).contentType(Api.PROBLEM_JSON);
        given().header("Origin", "https://shop.example.com").get("/api/widget/config").then().statusCode(200)
                .header("Access-Control-Allow-Origin", "https://shop.example.com");
        given().header("Origin", "https://evil.example.net").get("/api/widget/config").then().statusCode(200)
                .header("Access-Control-Allow-Origin", (String) null);
    }

    @Test
    void deeplyNestedJsonIsRefused() {
        String deep = "{\"flags\":" + "{\"a\":".repeat(40) + "true" + "}".repeat(40) + ",\"reason\":\"x\"}";
        Api.admin().body(deep).put("/api/admin/customers/{id}/flags", TestIds.customer())
                .then().statusCode(400).contentType(Api.PROBLEM_JSON);
    }
}
