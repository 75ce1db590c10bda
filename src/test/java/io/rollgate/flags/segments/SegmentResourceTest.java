package io.rollgate.flags.segments;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.rollgate.support.Api;
import io.rollgate.support.Await;
import io.rollgate.support.TestDatabase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Segments through the API: created, listed, round-tripped, changed and deleted, audited, targeted by a flag's rule,
 * followed when a runbook's SQL changes them, and kept while a flag names them.
 */
@QuarkusTest
class SegmentResourceTest {

    private final List<String> flags = new ArrayList<>();
    private final List<String> segments = new ArrayList<>();

    @AfterEach
    void cleanUp() {
        flags.forEach(flag -> Api.admin().queryParam("reason", "test cleanup").delete("/api/admin/flags/{n}", flag));
        segments.forEach(segment -> Api.admin().queryParam("reason", "test cleanup")
                .delete("/api/admin/segments/{k}", segment));
    }

    private String segment(Map<String, Object> fields) {
        String key = "seg-" + UUID.randomUUID().toString().substring(0, 8);
        segments.add(key);
        Map<String, Object> body = new HashMap<>(fields);
        body.put("key", key);
        body.put("reason", "segment test");
        Api.admin().body(body).post("/api/admin/segments").then().statusCode(201).body("key", equalTo(key))
                .body("version", equalTo(0));
        return key;
    }

    private String flag(String segment) {
        String name = "seg-flag-" + UUID.randomUUID();
        flags.add(name);
        Api.admin().body(Map.of("name", name, "reason", "segment test",
                "rules", List.of(Map.of("type", "segment", "value", List.of(segment)))))
                .post("/api/admin/flags").then().statusCode(201);
        return name;
    }

    private static JsonPath evaluate(String flag, Map<String, Object> context) {
        return given().contentType("application/json").body(Map.of("context", context))
                .post("/api/flags/{n}/evaluate", flag).then().statusCode(200).extract().jsonPath();
    }

    @Test
    void aFlagTargetsASegmentAndFollowsItsChanges() {
        String beta = segment(Map.of("description", "early customers", "included", List.of("jane@example.com"),
                "rules", List.of(Map.of("type", "attribute", "attribute", "plan", "operator", "in",
                        "value", List.of("pro", "enterprise")))));
        String flag = flag(beta);
        assertEquals(true, evaluate(flag, Map.of("targetingKey", "jane@example.com")).getBoolean("enabled"));
        assertEquals(true, evaluate(flag, Map.of("targetingKey", "acme-2", "plan", "pro")).getBoolean("enabled"));
        assertEquals(false, evaluate(flag, Map.of("targetingKey", "acme-2", "plan", "free")).getBoolean("enabled"));

        // what GET answers is PUT back unchanged: nothing changes, nothing is audited
        Map<String, Object> read = Api.viewer().get("/api/admin/segments/{k}", beta).then().statusCode(200)
                .body("usedBy", equalTo(List.of(flag))).extract().jsonPath().getMap("");
        Map<String, Object> same = new HashMap<>(read);
        same.put("reason", "no change");
        Api.admin().body(same).put("/api/admin/segments/{k}", beta).then().statusCode(200).body("version",
                equalTo(0));

        // excluding jane turns the flag off for her at once, on this replica
        Map<String, Object> changed = new HashMap<>(same);
        changed.put("excluded", List.of("jane@example.com"));
        changed.put("included", List.of());
        changed.put("reason", "jane left the beta");
        Api.admin().body(changed).put("/api/admin/segments/{k}", beta).then().statusCode(200)
                .body("version", equalTo(1)).body("excluded", equalTo(List.of("jane@example.com")));
        assertEquals(false, evaluate(flag, Map.of("targetingKey", "jane@example.com", "plan", "pro"))
                .getBoolean("enabled"));
        // a stale version is refused
        Api.admin().body(same).put("/api/admin/segments/{k}", beta).then().statusCode(409);

        Api.viewer().queryParam("subjectType", "segment").queryParam("subject", beta).get("/api/admin/audit").then()
                .statusCode(200).body("total", equalTo(2))
                .body("items.action", equalTo(List.of("segment.update", "segment.create")))
                .body("items[0].details.after.excluded", equalTo(List.of("jane@example.com")))
                .body("items[0].reason", equalTo("jane left the beta"));
    }

    @Test
    void aRunbooksSqlOnTheSegmentsTableIsServedLikeAnyOtherChange() throws Exception {
        String beta = segment(Map.of("included", List.of("acme-1")));
        String flag = flag(beta);
        assertEquals(false, evaluate(flag, Map.of("targetingKey", "acme-7")).getBoolean("enabled"));
        TestDatabase.update("UPDATE segments SET included = included || ARRAY['acme-7'] WHERE segment_key = ?", beta);
        Await.until(Duration.ofSeconds(5), () -> evaluate(flag, Map.of("targetingKey", "acme-7"))
                .getBoolean("enabled"), "the segment's change to be served");
        Api.viewer().get("/api/admin/segments/{k}", beta).then().body("version", equalTo(1))
                .body("included", equalTo(List.of("acme-1", "acme-7")));
    }

    @Test
    void aSegmentInUseCannotBeDeletedAndAFlagCannotNameOneThatDoesNotExist() {
        String beta = segment(Map.of("included", List.of("acme-1")));
        String first = flag(beta);
        String second = flag(beta);
        Api.admin().queryParam("reason", "cleanup").delete("/api/admin/segments/{k}", beta).then().statusCode(409)
                .contentType(Api.PROBLEM_JSON).body("detail", containsString(first))
                .body("detail", containsString(second));
        Api.admin().queryParam("reason", "cleanup").delete("/api/admin/flags/{n}", first).then().statusCode(204);
        Api.admin().queryParam("reason", "cleanup").delete("/api/admin/flags/{n}", second).then().statusCode(204);
        Api.admin().queryParam("reason", "cleanup").delete("/api/admin/segments/{k}", beta).then().statusCode(204);
        Api.viewer().get("/api/admin/segments/{k}", beta).then().statusCode(404);

        Api.admin().body(Map.of("name", "seg-flag-" + UUID.randomUUID(), "reason", "segment test",
                "rules", List.of(Map.of("type", "segment", "value", beta))))
                .post("/api/admin/flags").then().statusCode(400)
                .body("errors.find { it.field == 'rules[0].value' }.reason", equalTo("names no segment: " + beta));
    }

    @Test
    void badSegmentsAreRefusedWithTheirFieldsAndViewersCannotWrite() {
        Api.admin().body(Map.of("key", "has space", "included", List.of("a", "b\u0001"), "reason", "bad"))
                .post("/api/admin/segments").then().statusCode(400)
                .body("errors.field", equalTo(List.of("key", "included[1]")));
        String taken = segment(Map.of());
        Api.admin().body(Map.of("key", taken, "reason", "again")).post("/api/admin/segments").then().statusCode(409);
        Api.viewer().body(Map.of("key", "viewer-made", "reason", "no")).post("/api/admin/segments").then()
                .statusCode(403);
        Api.admin().body(Map.of("key", "no-reason")).post("/api/admin/segments").then().statusCode(400);
        Api.viewer().get("/api/admin/segments").then().statusCode(200)
                .body("find { it.key == '" + taken + "' }.usedBy", equalTo(List.of()));
    }
}
