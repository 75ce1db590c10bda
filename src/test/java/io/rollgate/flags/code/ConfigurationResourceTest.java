package io.rollgate.flags.code;

import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.rollgate.support.Api;
import io.rollgate.support.Await;
import io.rollgate.support.Metrics;
import io.rollgate.support.TestDatabase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Flags as code through the API: export, dry run, apply, prune, conflicts and refusals; and flag hygiene. */
@QuarkusTest
class ConfigurationResourceTest {

    private final List<String> created = new ArrayList<>();

    @AfterEach
    void deleteCreatedFlags() {
        for (int i = created.size() - 1; i >= 0; i--) {
            Api.admin().queryParam("reason", "test cleanup").delete("/api/admin/flags/{n}", created.get(i));
        }
    }

    private String name() {
        String name = "cfg-" + UUID.randomUUID().toString().substring(0, 8);
        created.add(name);
        return name;
    }

    private static String export() {
        return Api.viewer().get("/api/admin/flags/configuration").then().statusCode(200).extract().asString();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> exported() {
        return new LinkedHashMap<>(Api.viewer().get("/api/admin/flags/configuration").then().statusCode(200)
                .extract().as(Map.class));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> flagsOf(Map<String, Object> document) {
        Map<String, Object> flags = new LinkedHashMap<>((Map<String, Object>) document.get("flags"));
        document.put("flags", flags);
        return flags;
    }

    private static Map<String, Object> flag(String description, Integer percentage, List<String> prerequisites) {
        Map<String, Object> flag = new HashMap<>();
        flag.put("description", description);
        flag.put("group", "cfg-test");
        flag.put("rolloutPercentage", percentage);
        flag.put("prerequisites", prerequisites);
        return flag;
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        Await.until(Duration.ofSeconds(10), Duration.ofMillis(100), condition, what);
    }

    @Test
    void theExportIsStableSortedAndFreeOfVolatileFields() {
        String first = export();
        assertEquals(first, export());
        Map<String, Object> flags = flagsOf(exported());
        List<String> keys = new ArrayList<>(flags.keySet());
        assertEquals(keys.stream().sorted().toList(), keys);
        flags.values().forEach(flag -> assertFalse(castMap(flag).containsKey("version"), "no per-flag version"));
        Api.viewer().get("/api/admin/flags/configuration").then()
                .body("flags.'sessionPersistence.phase2.enhancedStorage'.prerequisites",
                        equalTo(List.of("sessionPersistence.phase1.parentStorage")));
    }

    @Test
    void anExportAppliedBackChangesNothingAndExportsIdentically() {
        String before = export();
        Map<String, Object> document = exported();
        document.put("reason", "round trip");
        Api.admin().body(document).put("/api/admin/flags/configuration").then().statusCode(200)
                .body("created", equalTo(List.of())).body("updated", equalTo(List.of()))
                .body("deleted", equalTo(List.of()))
                .body("unchanged", hasItem("sessionPersistence.phase2.enhancedStorage"));
        assertEquals(before, export());
    }

    @Test
    void aDryRunShowsThePlanFieldByFieldAndChangesNothing() {
        String existing = name();
        Api.admin().body(Map.of("name", existing, "description", "v1", "reason", "setup")).post("/api/admin/flags")
                .then().statusCode(201);
        String added = name();
        Map<String, Object> document = exported();
        Map<String, Object> flags = flagsOf(document);
        flags.put(added, flag("brand new", 10, List.of(existing)));
        Map<String, Object> changed = new HashMap<>(castMap(flags.get(existing)));
        changed.put("description", "v2");
        flags.put(existing, changed);
        Api.admin().queryParam("dryRun", true).body(document).put("/api/admin/flags/configuration").then()
                .statusCode(200).body("applied", equalTo(false)).body("created", equalTo(List.of(added)))
                .body("updated.name", equalTo(List.of(existing)))
                .body("updated[0].changes.description.before", equalTo("v1"))
                .body("updated[0].changes.description.after", equalTo("v2"));
        Api.viewer().get("/api/admin/flags/{n}", added).then().statusCode(404);
        Api.viewer().get("/api/admin/flags/{n}", existing).then().body("description", equalTo("v1"));
    }

    @Test
    void applyingCreatesUpdatesAndPrunesInOneAuditedChange() {
        String kept = name();
        String pruned = name();
        for (String flag : List.of(kept, pruned)) {
            Api.admin().body(Map.of("name", flag, "reason", "setup")).post("/api/admin/flags").then().statusCode(201);
        }
        // a customer holding an override of the pruned flag loses it, in the same audited change
        String customer = io.rollgate.support.TestIds.customer();
        Api.admin().body(Map.of("flags", Map.of(pruned, true), "reason", "beta"))
                .put("/api/admin/customers/{id}/flags", customer).then().statusCode(200);
        String added = name();
        Map<String, Object> document = exported();
        Map<String, Object> flags = flagsOf(document);
        flags.remove(pruned);
        flags.put(added, flag("from Git", 30, List.of(kept)));
        Map<String, Object> changed = new HashMap<>(castMap(flags.get(kept)));
        changed.put("rolloutPercentage", 100);
        flags.put(kept, changed);
        document.put("reason", "PR #42");
        long version = ((Number) document.get("version")).longValue();

        Api.admin().queryParam("prune", true).body(document).put("/api/admin/flags/configuration").then()
                .statusCode(200).body("applied", equalTo(true)).body("created", equalTo(List.of(added)))
                .body("updated.name", equalTo(List.of(kept))).body("deleted", hasItem(pruned))
                .body("version", equalTo((int) version + 1));
        Api.viewer().get("/api/admin/flags/{n}", added).then().statusCode(200)
                .body("rolloutPercentage", equalTo(30)).body("prerequisites", equalTo(List.of(kept)));
        Api.viewer().get("/api/admin/flags/{n}", pruned).then().statusCode(404);
        Api.viewer().get("/api/admin/flags/{n}", kept).then().body("rolloutPercentage", equalTo(100));
        List<Map<String, Object>> audit = TestDatabase.query("SELECT flag_path, action FROM feature_flag_changes "
                + "WHERE reason = 'PR #42' AND customer_id IS NULL AND flag_path IN (?, ?, ?) ORDER BY flag_path", kept,
                pruned, added);
        assertEquals(3, audit.size(), audit.toString());
        assertEquals(List.of(Map.of("old_value", true, "reason", "PR #42")), TestDatabase.query(
                "SELECT old_value, reason FROM feature_flag_changes WHERE flag_path = ? AND customer_id = ? "
                        + "AND new_value IS NULL",
                pruned, customer));
        Api.admin().get("/api/admin/customers/{id}/flags", customer).then().statusCode(200)
                .body("flags", equalTo(Map.of()));

        // the same document again: the version moved on, so it is refused and nothing changes
        Api.admin().body(document).put("/api/admin/flags/configuration").then().statusCode(409)
                .contentType(Api.PROBLEM_JSON);
    }

    @Test
    @SuppressWarnings("unchecked")
    void segmentsTravelWithTheDocumentAndAreNotPrunedFromUnderAFlag() {
        String segment = "cfg-seg-" + UUID.randomUUID().toString().substring(0, 8);
        String flag = name();
        Map<String, Object> document = exported();
        Map<String, Object> segments = new LinkedHashMap<>((Map<String, Object>) document.get("segments"));
        document.put("segments", segments);
        segments.put(segment, Map.of("description", "from Git", "included", List.of("acme-2", "acme-1"),
                "rules", List.of(Map.of("type", "attribute", "attribute", "plan", "operator", "equals",
                        "value", "pro"))));
        // a flag of the same document may name the segment it creates
        Map<String, Object> targeted = flag("segment rule", null, null);
        targeted.put("rules", List.of(Map.of("type", "segment", "value", List.of(segment))));
        flagsOf(document).put(flag, targeted);
        document.put("reason", "segments as code");
        Api.admin().body(document).put("/api/admin/flags/configuration").then().statusCode(200)
                .body("created", equalTo(List.of(flag))).body("segments.created", equalTo(List.of(segment)));
        Api.viewer().get("/api/admin/segments/{k}", segment).then().statusCode(200)
                .body("included", equalTo(List.of("acme-1", "acme-2"))).body("usedBy", equalTo(List.of(flag)));
        Api.viewer().queryParam("subjectType", "segment").queryParam("subject", segment).get("/api/admin/audit")
                .then().body("items[0].action", equalTo("segment.create"))
                .body("items[0].reason", equalTo("segments as code"));

        // exported and applied back, nothing changes, and the export is the same
        String before = export();
        Map<String, Object> again = exported();
        again.put("reason", "round trip");
        Api.admin().body(again).put("/api/admin/flags/configuration").then().statusCode(200)
                .body("segments.unchanged", hasItem(segment)).body("segments.created", equalTo(List.of()))
                .body("updated", equalTo(List.of()));
        assertEquals(before, export());
        assertTrue(before.contains("\"" + segment + "\":{\"description\":\"from Git\",\"excluded\":[],"
                + "\"included\":[\"acme-1\",\"acme-2\"]"), before);

        // pruning the segment while a flag the document keeps names it is refused; dropping both deletes both
        Map<String, Object> pruneSegment = exported();
        ((Map<String, Object>) pruneSegment.get("segments")).remove(segment);
        pruneSegment.put("reason", "prune");
        Api.admin().queryParam("prune", true).body(pruneSegment).put("/api/admin/flags/configuration").then()
                .statusCode(400).body("errors.field", hasItem("flags." + flag + ".rules[0].value"));
        flagsOf(pruneSegment).remove(flag);
        Api.admin().queryParam("prune", true).body(pruneSegment).put("/api/admin/flags/configuration").then()
                .statusCode(200).body("deleted", hasItem(flag)).body("segments.deleted", equalTo(List.of(segment)));
        Api.viewer().get("/api/admin/segments/{k}", segment).then().statusCode(404);
    }

    @Test
    void aChangeMadeInSqlMovesTheVersionSoAnOlderDocumentIsRefused() throws Exception {
        String flag = name();
        Api.admin().body(Map.of("name", flag, "reason", "setup")).post("/api/admin/flags").then().statusCode(201);
        Map<String, Object> document = exported();
        long version = ((Number) document.get("version")).longValue();
        // the runbook's emergency kill, in psql
        TestDatabase.update("UPDATE feature_flags SET enabled = false WHERE flag_key = ?", flag);
        assertEquals(version + 1, ((Number) TestDatabase.query("SELECT version FROM catalog_state").get(0)
                .get("version")).longValue(), "one statement, one transaction: one version");
        io.rollgate.support.Await.until(java.time.Duration.ofSeconds(10), java.time.Duration.ofMillis(50),
                () -> ((Number) exported().get("version")).longValue() == version + 1, "the replica to serve it");
        // the document exported before the kill would turn the flag back on: it is refused
        document.put("reason", "stale export");
        Api.admin().body(document).put("/api/admin/flags/configuration").then().statusCode(409)
                .contentType(Api.PROBLEM_JSON);
        Api.viewer().get("/api/admin/flags/{n}", flag).then().body("enabled", equalTo(false));
    }

    @Test
    void widgetFlagsAreProtectedFromPruningUnlessNamed() {
        Map<String, Object> document = exported();
        flagsOf(document).remove("sessionPersistence.phase3.analytics");
        Api.admin().queryParam("prune", true).queryParam("dryRun", true).body(document)
                .put("/api/admin/flags/configuration").then().statusCode(200)
                .body("deleted", equalTo(List.of()))
                .body("protectedFromPruning", equalTo(List.of("sessionPersistence.phase3.analytics")));
        Api.admin().queryParam("prune", true).queryParam("dryRun", true)
                .queryParam("pruneAlso", "phase3_analytics").body(document)
                .put("/api/admin/flags/configuration").then().statusCode(200)
                .body("deleted", equalTo(List.of("sessionPersistence.phase3.analytics")));
    }

    @Test
    void anInvalidDocumentIsRefusedListingEveryProblemAndNothingIsApplied() {
        String a = name();
        String b = name();
        String good = name();
        Map<String, Object> document = exported();
        Map<String, Object> flags = flagsOf(document);
        flags.put(a, flag("a", null, List.of(b)));
        flags.put(b, flag("b", null, List.of(a)));
        flags.put(good, flag("fine", 150, List.of()));
        Map<String, Object> badRule = flag("rules", null, List.of());
        badRule.put("rules", List.of(Map.of("type", "planet", "value", "mars")));
        String ruled = name();
        flags.put(ruled, badRule);
        document.put("reason", "broken");
        Api.admin().body(document).put("/api/admin/flags/configuration").then().statusCode(400)
                .contentType(Api.PROBLEM_JSON)
                .body("errors.field", containsInAnyOrder("flags." + a + ".prerequisites[0]",
                        "flags." + b + ".prerequisites[0]", "flags." + good + ".rolloutPercentage",
                        "flags." + ruled + ".rules[0].type"));
        for (String flag : List.of(a, b, good, ruled)) {
            Api.viewer().get("/api/admin/flags/{n}", flag).then().statusCode(404);
        }
        document.remove("reason");
        Api.admin().body(document).put("/api/admin/flags/configuration").then().statusCode(400)
                .body("errors[0].field", equalTo("reason"));
    }

    @Test
    void aFlagKilledLongEnoughIsReportedStaleUntilMarkedPermanent() throws Exception {
        String flag = name();
        Api.admin().body(Map.of("name", flag, "reason", "setup")).post("/api/admin/flags").then().statusCode(201);
        Api.admin().body(Map.of("global", true, "featureName", flag, "enabled", false, "reason", "done"))
                .post("/api/admin/feature-flags").then().statusCode(200);
        // stale after 2 s and worked out every second in the test profile
        await(() -> String.valueOf((Object) Api.viewer().get("/api/admin/flags/{n}", flag).path("staleReason"))
                .startsWith("killed since"), "the flag to be reported stale");
        assertTrue(Metrics.value("rollgate_flags_stale", "") >= 1);
        Api.viewer().queryParam("group", "default").queryParam("size", 500).get("/api/admin/flags").then()
                .body("flags.find { it.name == '" + flag + "' }.staleReason", notNullValue());
        Api.admin().body(Map.of("permanent", true, "reason", "kill switch, meant to stay"))
                .put("/api/admin/flags/{n}/permanent", flag).then().statusCode(200)
                .body("permanent", equalTo(true)).body("staleReason", org.hamcrest.Matchers.nullValue());
        Api.viewer().get("/api/admin/flags/{n}", flag).then().body("permanent", equalTo(true))
                .body("staleReason", org.hamcrest.Matchers.nullValue());
        assertEquals(1, TestDatabase.query("SELECT 1 FROM feature_flag_changes WHERE flag_path = ? "
                + "AND action = 'flag.permanent'", flag).size());
        Api.admin().body(Map.of("reason", "no value")).put("/api/admin/flags/{n}/permanent", flag).then()
                .statusCode(400).body("errors[0].field", equalTo("permanent"));
    }

    @Test
    void evaluatingAFlagIsRecordedAsItsLastUse() throws Exception {
        String flag = name();
        Api.admin().body(Map.of("name", flag, "reason", "setup")).post("/api/admin/flags").then().statusCode(201);
        io.restassured.RestAssured.given().contentType("application/json")
                .body(Map.of("context", Map.of("userId", "u"))).post("/api/flags/{n}/evaluate", flag).then()
                .statusCode(200);
        await(() -> Api.viewer().get("/api/admin/flags/{n}", flag).path("lastEvaluatedAt") != null,
                "the evaluation to be recorded");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> castMap(Object value) {
        return (Map<String, Object>) value;
    }
}
