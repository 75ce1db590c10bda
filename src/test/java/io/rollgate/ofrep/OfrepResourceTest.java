package io.rollgate.ofrep;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.rollgate.support.Api;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** OFREP 0.3.0 shapes and codes, as the OFREP document copied into src/test/resources/conformance/ofrep defines them. */
@QuarkusTest
class OfrepResourceTest {

    private static final Set<String> REASONS = Set.of("STATIC", "TARGETING_MATCH", "SPLIT", "DISABLED", "UNKNOWN");
    private final List<String> created = new java.util.ArrayList<>();

    @AfterEach
    void cleanUp() {
        created.forEach(name -> Api.admin().queryParam("reason", "test cleanup").delete("/api/admin/flags/{n}", name));
    }

    private String flag(Map<String, Object> definition) {
        String name = "ofrep-" + UUID.randomUUID();
        Map<String, Object> body = new java.util.HashMap<>(definition);
        body.put("name", name);
        body.putIfAbsent("reason", "OFREP test flag");
        Api.admin().body(body).post("/api/admin/flags").then().statusCode(201);
        created.add(name);
        return name;
    }

    private static Response single(String key, String body) {
        return given().contentType("application/json").body(body).post("/ofrep/v1/evaluate/flags/{key}", key);
    }

    @Test
    void singleEvaluationAnswersServerEvaluationSuccess() {
        String flag = flag(Map.of("rules", List.of(Map.of("type", "user", "value", "user-123"))));
        single(flag, "{\"context\": {\"targetingKey\": \"user-123\", \"plan\": \"pro\"}}")
                .then().statusCode(200).contentType("application/json")
                .body("key", equalTo(flag))
                .body("value", equalTo(true))
                .body("reason", equalTo("TARGETING_MATCH"))
                .body("variant", equalTo("on"))
                .body("metadata.source", equalTo("rule"));
        single(flag, "{\"context\": {\"targetingKey\": \"user-9\"}}")
                .then().statusCode(200).body("value", equalTo(false)).body("reason", equalTo("STATIC"));
        single("sessionPersistence.phase2.enhancedStorage", "{\"context\": {\"targetingKey\": \"c-1\"}}")
                .then().statusCode(200).body("reason", equalTo("STATIC")).body("value", equalTo(false));
    }

    @Test
    void splitsAndTheKillSwitchMapToOfrepReasons() {
        String split = flag(Map.of("rolloutPercentage", 100));
        single(split, "{\"context\": {\"targetingKey\": \"anyone\"}}").then().statusCode(200)
                .body("reason", equalTo("SPLIT"));
        Api.admin().body(Map.of("global", true, "featureName", split, "enabled", false, "reason", "kill"))
                .post("/api/admin/feature-flags").then().statusCode(200);
        single(split, "{\"context\": {\"targetingKey\": \"anyone\"}}").then().statusCode(200)
                .body("reason", equalTo("DISABLED")).body("value", equalTo(false));
    }

    @Test
    void usersKeyedByEmailAddressOrUrnAreBucketedLikeAnyOtherKey() {
        String flag = flag(Map.of("rolloutPercentage", 30));
        for (String key : List.of("user@example.com", "urn:example:user:7f3c", "Zoë Jünger")) {
            boolean expected = io.rollgate.engine.Bucketing.bucket(flag, key) <= 30;
            String body = "{\"context\": {\"targetingKey\": \"" + key + "\"}}";
            single(flag, body).then().statusCode(200).body("value", equalTo(expected))
                    .body("reason", equalTo(expected ? "SPLIT" : "STATIC"));
        }
    }

    @Test
    void errorsUseTheSpecCodes() {
        single("no-such-flag", "{\"context\": {\"targetingKey\": \"a\"}}")
                .then().statusCode(404).body("key", equalTo("no-such-flag"))
                .body("errorCode", equalTo("FLAG_NOT_FOUND"))
                .body("errorDetails", notNullValue());
        String flag = flag(Map.of("rolloutPercentage", 30));
        single(flag, "{\"context\": ").then().statusCode(400).body("errorCode", equalTo("PARSE_ERROR"));
        single(flag, "{\"nothing\": 1}").then().statusCode(400).body("errorCode", equalTo("INVALID_CONTEXT"));
        single(flag, "{\"context\": {\"targetingKey\": 42}}").then().statusCode(400)
                .body("errorCode", equalTo("INVALID_CONTEXT"));
        // any text a client keys users by is a targeting key; control characters and over-long keys are not
        single(flag, "{\"context\": {\"targetingKey\": \"has\\u0001control\"}}").then().statusCode(400)
                .body("errorCode", equalTo("INVALID_CONTEXT"));
        single(flag, "{\"context\": {\"targetingKey\": \"" + "k".repeat(257) + "\"}}").then().statusCode(400)
                .body("errorCode", equalTo("INVALID_CONTEXT"));
        single(flag, "{\"context\": {}}").then().statusCode(400).body("key", equalTo(flag))
                .body("errorCode", equalTo("TARGETING_KEY_MISSING"));
    }

    @Test
    void bulkEvaluationHasEveryFlagAndAnETagThatChangesWithTheFlags() {
        String flag = flag(Map.of("rules", List.of(Map.of("type", "user", "value", "bulk-user"))));
        String body = "{\"context\": {\"targetingKey\": \"bulk-user\"}}";
        Response first = given().contentType("application/json").body(body).post("/ofrep/v1/evaluate/flags");
        first.then().statusCode(200)
                .body("flags.key", hasItem(flag))
                .body("flags.key", hasItem("sessionPersistence.phase1.parentStorage"))
                .body("flags.find { it.key == '" + flag + "' }.value", equalTo(true))
                .body("flags.find { it.key == '" + flag + "' }.reason", equalTo("TARGETING_MATCH"))
                .body("metadata.version", notNullValue());
        List<String> reasons = first.path("flags.findAll { it.reason != null }.reason");
        assertTrue(REASONS.containsAll(reasons), reasons.toString());
        String etag = first.header("ETag");
        assertTrue(etag != null && etag.startsWith("\""), "a quoted ETag: " + etag);

        given().contentType("application/json").header("If-None-Match", etag).body(body)
                .post("/ofrep/v1/evaluate/flags").then().statusCode(304).body(is(""));
        // another context is another evaluation: no 304 for it
        given().contentType("application/json").header("If-None-Match", etag)
                .body("{\"context\": {\"targetingKey\": \"someone-else\"}}")
                .post("/ofrep/v1/evaluate/flags").then().statusCode(200);

        Api.admin().body(Map.of("reason", "test", "rules", List.of(), "version", 0)).put("/api/admin/flags/{n}", flag)
                .then().statusCode(200);
        Response changed = given().contentType("application/json").header("If-None-Match", etag).body(body)
                .post("/ofrep/v1/evaluate/flags");
        changed.then().statusCode(200).body("flags.find { it.key == '" + flag + "' }.value", equalTo(false));
        assertNotEquals(etag, changed.header("ETag"));
    }

    @Test
    void bulkErrorsAreBulkEvaluationFailures() {
        given().contentType("application/json").body("not json").post("/ofrep/v1/evaluate/flags")
                .then().statusCode(400).body("errorCode", equalTo("PARSE_ERROR"))
                .body("errorDetails", notNullValue());
        given().contentType("application/json").body("{}").post("/ofrep/v1/evaluate/flags")
                .then().statusCode(400).body("errorCode", equalTo("INVALID_CONTEXT"));
        String split = flag(Map.of("rolloutPercentage", 50));
        given().contentType("application/json").body("{\"context\": {}}").post("/ofrep/v1/evaluate/flags")
                .then().statusCode(200)
                .body("flags.find { it.key == '" + split + "' }.errorCode", equalTo("TARGETING_KEY_MISSING"))
                .body("flags.find { it.key == 'sessionPersistence.phase1.autoRestore' }.value",
                        anyOf(equalTo(true), equalTo(false)));
    }
}
