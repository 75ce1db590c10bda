package io.rollgate.flags.admin;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.rollgate.support.Api;
import io.rollgate.support.Await;
import io.rollgate.support.Metrics;
import io.rollgate.support.TestDatabase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
class FlagResourceTest {

    private final List<String> created = new ArrayList<>();

    @AfterEach
    void deleteCreatedFlags() {
        // dependents first: later flags may name earlier ones as prerequisites
        for (int i = created.size() - 1; i >= 0; i--) {
            Api.admin().queryParam("reason", "test cleanup").delete("/api/admin/flags/{n}", created.get(i));
        }
    }

    private String name() {
        String name = "ff-" + UUID.randomUUID();
        created.add(name);
        return name;
    }

    private String create(Map<String, Object> definition) {
        String name = name();
        Map<String, Object> body = new java.util.HashMap<>(definition);
        body.put("name", name);
        body.putIfAbsent("reason", "test flag");
        Api.admin().body(body).post("/api/admin/flags").then().statusCode(201).body("name", equalTo(name));
        return name;
    }

    private static boolean enabled(String flag, Map<String, Object> context) {
        return given().contentType("application/json").body(Map.of("context", context))
                .post("/api/flags/{n}/evaluate", flag).then().statusCode(200).extract().path("enabled");
    }

    private static String reason(String flag, Map<String, Object> context) {
        return given().contentType("application/json").body(Map.of("context", context))
                .post("/api/flags/{n}/evaluate", flag).then().statusCode(200).extract().path("reason");
    }

    @Test
    void createGetListAndTheConfigurationDocumentBumpsTheVersion() {
        long version = ((Number) Api.viewer().get("/api/admin/flags/configuration").then().statusCode(200)
                .extract().path("version")).longValue();
        String flag = create(Map.of("description", "Redesigned onboarding", "group", "onboarding",
                "rolloutPercentage", 10, "rules", List.of(Map.of("type", "user", "value", List.of("user-123")))));
        Api.viewer().get("/api/admin/flags/{n}", flag).then().statusCode(200)
                .body("description", equalTo("Redesigned onboarding"))
                .body("rolloutPercentage", equalTo(10))
                .body("rules[0].type", equalTo("user"))
                .body("rules[0].value", equalTo(List.of("user-123")))
                .body("enabled", equalTo(true));
        Api.viewer().queryParam("group", "onboarding").get("/api/admin/flags").then().statusCode(200)
                .body("flags.name", hasItem(flag))
                .body("flags.group", org.hamcrest.Matchers.everyItem(equalTo("onboarding")))
                .body("version", greaterThan((int) version));
        Api.viewer().get("/api/admin/flags/configuration").then().statusCode(200)
                .body("flags.'" + flag + "'.rolloutPercentage", equalTo(10))
                .body("lastUpdated", org.hamcrest.Matchers.notNullValue());
        Api.admin().body(Map.of("reason", "test", "name", flag)).post("/api/admin/flags").then().statusCode(400)
                .body("errors[0].field", equalTo("name"));
        Api.viewer().queryParam("size", 1).queryParam("page", 0).get("/api/admin/flags").then()
                .body("flags.size()", equalTo(1)).body("total", greaterThan(11));
        List<Map<String, Object>> audit = TestDatabase.query(
                "SELECT scope, action, changed_by FROM feature_flag_changes WHERE flag_path = ?", flag);
        assertEquals(List.of(Map.of("scope", "flag", "action", "flag.create", "changed_by", "admin")), audit);
    }

    @Test
    void whatAGetAnswersCanBePutBackUnchangedAndReadOnlyFieldsAreNotChanges() throws Exception {
        String flag = create(Map.of("rules", List.of(Map.of("type", "user", "value", List.of("u-1"))),
                "environmentDefaults", Map.of("staging", true), "description", "round trip"));
        String alias = "rt_" + UUID.randomUUID().toString().substring(0, 8);
        TestDatabase.update("UPDATE feature_flags SET alias = ? WHERE flag_key = ?", alias, flag);
        Api.admin().post("/api/admin/catalog/reload").then().statusCode(200);
        Api.admin().body(Map.of("permanent", true, "reason", "a kill switch")).put("/api/admin/flags/{n}/permanent",
                flag).then().statusCode(200);
        Map<String, Object> read = Api.viewer().get("/api/admin/flags/{n}", flag).then().statusCode(200)
                .body("alias", equalTo(alias)).body("permanent", equalTo(true)).extract().as(Map.class);

        // the usual REST habit: read, change one field, write back the whole body
        Map<String, Object> changed = new java.util.HashMap<>(read);
        changed.put("description", "round trip, edited");
        changed.put("reason", "edit");
        Map<String, Object> written = Api.admin().body(changed).put("/api/admin/flags/{n}", flag).then()
                .statusCode(200).extract().as(Map.class);
        assertEquals("round trip, edited", written.get("description"));
        for (String field : List.of("alias", "rules", "prerequisites", "environmentDefaults", "enabled",
                "defaultValue")) {
            assertEquals(read.get(field), written.get(field), field);
        }
        // a read-only field sent with another value is refused, naming it
        Map<String, Object> renamed = new java.util.HashMap<>(written);
        renamed.put("alias", "something_else");
        renamed.put("reason", "rename");
        Api.admin().body(renamed).put("/api/admin/flags/{n}", flag).then().statusCode(400)
                .body("errors[0].field", equalTo("alias"));
    }

    @Test
    void everyRuleTypeMatchesAStringOrAList() {
        String users = create(Map.of("rules", List.of(Map.of("type", "user", "value", List.of("u-1", "u-2")))));
        String user = create(Map.of("rules", List.of(Map.of("type", "user", "value", "u-3"))));
        String groups = create(Map.of("rules", List.of(Map.of("type", "group", "value", List.of("beta", "staff")))));
        String group = create(Map.of("rules", List.of(Map.of("type", "group", "value", "beta"))));
        String environments = create(Map.of("rules", List.of(Map.of("type", "environment",
                "value", List.of("development", "staging")))));
        String environment = create(Map.of("rules", List.of(Map.of("type", "environment", "value", "development"))));

        assertTrue(enabled(users, Map.of("userId", "u-2")));
        assertEquals("rule", reason(users, Map.of("userId", "u-2")));
        assertEquals(false, enabled(users, Map.of("userId", "u-9")));
        assertEquals("default", reason(users, Map.of("userId", "u-9")));
        assertTrue(enabled(user, Map.of("customerId", "u-3")), "customerId stands in for userId");
        assertTrue(enabled(groups, Map.of("groupId", "staff")));
        assertTrue(enabled(group, Map.of("organizationId", "beta")), "organizationId stands in for groupId");
        assertEquals(false, enabled(group, Map.of("groupId", "staff")));
        assertTrue(enabled(environments, Map.of("environment", "staging")));
        assertEquals(false, enabled(environments, Map.of("environment", "production")));
        assertEquals(false, enabled(environment, Map.of()), "the service runs in production in tests");
        assertTrue(enabled(environment, Map.of("environment", "development")));
    }

    @Test
    void aPercentageRampKeepsEarlierUsersEnabled() {
        String flag = create(Map.of("rolloutPercentage", 10));
        Set<String> previous = new HashSet<>();
        for (int percentage : new int[]{ 10, 25, 50, 100 }) {
            Api.admin().body(Map.of("rolloutPercentage", percentage, "reason", "ramp"))
                    .put("/api/admin/flags/{n}/rollout-percentage", flag).then().statusCode(200)
                    .body("rolloutPercentage", equalTo(percentage));
            Set<String> enabled = new HashSet<>();
            for (int i = 0; i < 300; i++) {
                String user = "ramp-user-" + i;
                if (enabled(flag, Map.of("userId", user))) {
                    enabled.add(user);
                }
            }
            assertTrue(enabled.containsAll(previous), "nobody leaves the ramp when it grows to " + percentage);
            assertTrue(Math.abs(enabled.size() / 3.0 - percentage) <= 8, percentage + "% gave " + enabled.size());
            previous = enabled;
        }
        assertEquals(300, previous.size());
        assertEquals("percentage", reason(flag, Map.of("userId", "anyone")));
        Api.admin().body(Map.of("reason", "test", "rolloutPercentage", 101))
                .put("/api/admin/flags/{n}/rollout-percentage", flag)
                .then().statusCode(400).body("errors[0].field", equalTo("rolloutPercentage"));
    }

    @Test
    void reasonsFollowTheEvaluationOrder() {
        String base = create(Map.of("rolloutPercentage", 100));
        String dependent = create(Map.of("prerequisites", List.of(base), "rules",
                List.of(Map.of("type", "percentage", "value", 100))));
        assertEquals("rule", reason(dependent, Map.of("userId", "x")));
        Api.admin().body(Map.of("rolloutPercentage", 0, "reason", "off"))
                .put("/api/admin/flags/{n}/rollout-percentage", base)
                .then().statusCode(200);
        assertEquals("prerequisite", reason(dependent, Map.of("userId", "x")));
        Api.admin().body(Map.of("global", true, "featureName", dependent, "enabled", false, "reason", "kill"))
                .post("/api/admin/feature-flags").then().statusCode(200);
        assertEquals("disabled", reason(dependent, Map.of("userId", "x")));
        String defaulted = create(Map.of("environmentDefaults", Map.of("production", true)));
        assertEquals("environment", reason(defaulted, Map.of()));
        assertTrue(enabled(defaulted, Map.of()));
    }

    @Test
    void anAnonymousCallerCannotPickAnotherEnvironmentsDefaults() {
        // phase 3 is on in development only; the service runs as production
        given().queryParam("customerId", "anyone").queryParam("environment", "development")
                .get("/api/flags/{n}/enabled", "sessionPersistence.phase3.tabSync").then().statusCode(200)
                .body("enabled", equalTo(false));
        given().contentType("application/json").body(Map.of("context", Map.of("targetingKey", "anyone",
                "environment", "development")))
                .post("/ofrep/v1/evaluate/flags/{n}", "sessionPersistence.phase3.tabSync")
                .then().statusCode(200).body("value", equalTo(false));
    }

    @Test
    void deepOrHugePagesAreRefusedOrEmptyNeverAnOverflow() {
        Api.viewer().queryParam("page", 5_000_000).queryParam("size", 500).get("/api/admin/flags").then()
                .statusCode(400).contentType(Api.PROBLEM_JSON).body("errors[0].field", equalTo("page"));
        Api.viewer().queryParam("page", 100_000).queryParam("size", 500).get("/api/admin/flags").then()
                .statusCode(200).body("flags", org.hamcrest.Matchers.empty());
    }

    @Test
    void invalidDefinitionsAreRefusedNamingTheField() {
        String name = name();
        Api.admin().body(Map.of("reason", "test", "name", name, "rolloutPercentage", 150,
                "rules", List.of(Map.of("type", "planet", "value", "mars"),
                        Map.of("type", "percentage", "value", 101),
                        Map.of("type", "user", "value", List.of()),
                        Map.of("type", "group", "value", 7)),
                "prerequisites", List.of("no.such.flag")))
                .post("/api/admin/flags").then().statusCode(400).contentType(Api.PROBLEM_JSON)
                .body("errors.field", containsInAnyOrder("rolloutPercentage", "rules[0].type", "rules[1].value",
                        "rules[2].value", "rules[3].value", "prerequisites[0]"));
        Api.admin().get("/api/admin/flags/{n}", name).then().statusCode(404);
        Api.admin().body(Map.of("reason", "test", "name", "sessionPersistence.phase2")).post("/api/admin/flags").then()
                .statusCode(400)
                .body("errors[0].reason", org.hamcrest.Matchers.containsString("clashes"));
        Api.admin().body(Map.of("reason", "test", "name", "has space")).post("/api/admin/flags").then().statusCode(400);
        // the audit keeps reasons of at most 1,000 characters, as it does for overrides and rollouts
        String essay = "x".repeat(1001);
        Api.admin().body(Map.of("name", name, "reason", essay)).post("/api/admin/flags").then().statusCode(400)
                .body("errors[0].field", equalTo("reason"));
        Api.admin().get("/api/admin/flags/{n}", name).then().statusCode(404);
        String flag = create(Map.of("rolloutPercentage", 10));
        Api.admin().body(Map.of("rolloutPercentage", 20, "reason", essay))
                .put("/api/admin/flags/{n}/rollout-percentage", flag).then().statusCode(400);
        Api.admin().queryParam("reason", essay).delete("/api/admin/flags/{n}", flag).then().statusCode(400);
        Api.admin().get("/api/admin/flags/{n}", flag).then().statusCode(200).body("rolloutPercentage", equalTo(10));
    }

    @Test
    void aStaleVersionIsRefusedWith409() {
        String flag = create(Map.of("description", "v0"));
        int version = Api.admin().get("/api/admin/flags/{n}", flag).then().extract().path("version");
        Api.admin().body(Map.of("reason", "test", "description", "first", "version", version))
                .put("/api/admin/flags/{n}", flag)
                .then().statusCode(200).body("description", equalTo("first")).body("version", equalTo(version + 1));
        Api.admin().body(Map.of("reason", "test", "description", "second", "version", version))
                .put("/api/admin/flags/{n}", flag)
                .then().statusCode(409).contentType(Api.PROBLEM_JSON);
        Api.admin().get("/api/admin/flags/{n}", flag).then().body("description", equalTo("first"));
    }

    @Test
    void aPrerequisiteCannotBeDeletedAndCyclesAreRefused() {
        String base = create(Map.of());
        String dependent = create(Map.of("prerequisites", List.of(base)));
        Api.admin().body(Map.of("reason", "test", "prerequisites", List.of(dependent)))
                .put("/api/admin/flags/{n}", base)
                .then().statusCode(400).body("errors[0].field", equalTo("prerequisites[0]"));
        Api.admin().queryParam("reason", "cleanup").delete("/api/admin/flags/{n}", base).then().statusCode(409);
        Api.admin().queryParam("reason", "cleanup").delete("/api/admin/flags/{n}", dependent).then().statusCode(204);
        Api.admin().queryParam("reason", "cleanup").delete("/api/admin/flags/{n}", base).then().statusCode(204);
        Api.admin().get("/api/admin/flags/{n}", base).then().statusCode(404);
    }

    @Test
    void aPutWithoutEnabledKeepsTheKillSwitchAndOneThatNamesItIsAuditedAsTheGlobalSwitch() {
        String flag = create(Map.of("rolloutPercentage", 100));
        Api.admin().body(Map.of("global", true, "featureName", flag, "enabled", false, "reason", "incident"))
                .post("/api/admin/feature-flags").then().statusCode(200);
        Api.admin().body(Map.of("description", "edited during the incident", "rolloutPercentage", 100, "reason",
                "wording"))
                .put("/api/admin/flags/{n}", flag).then().statusCode(200).body("enabled", equalTo(false));
        assertEquals(false, enabled(flag, Map.of("targetingKey", "u-1")));
        Api.admin().body(Map.of("description", "fixed", "rolloutPercentage", 100, "enabled", true, "reason",
                "incident over"))
                .put("/api/admin/flags/{n}", flag).then().statusCode(200).body("enabled", equalTo(true));
        assertEquals(true, enabled(flag, Map.of("targetingKey", "u-1")));
        assertEquals(List.of(Map.of("old_value", false, "new_value", true, "reason", "incident over")),
                TestDatabase.query("SELECT old_value, new_value, reason FROM feature_flag_changes "
                        + "WHERE flag_path = ? AND scope = 'global' AND reason = 'incident over'", flag));
    }

    @Test
    void concurrentPrerequisiteWritesCannotMakeACycle() throws Exception {
        for (int round = 0; round < 5; round++) {
            String a = create(Map.of());
            String b = create(Map.of());
            CompletableFuture<Integer> aNeedsB = CompletableFuture.supplyAsync(() -> Api.admin()
                    .body(Map.of("reason", "test", "prerequisites", List.of(b))).put("/api/admin/flags/{n}", a)
                    .statusCode());
            CompletableFuture<Integer> bNeedsA = CompletableFuture.supplyAsync(() -> Api.admin()
                    .body(Map.of("reason", "test", "prerequisites", List.of(a))).put("/api/admin/flags/{n}", b)
                    .statusCode());
            List<Integer> statuses = List.of(aNeedsB.get(), bNeedsA.get()).stream().sorted().toList();
            assertEquals(List.of(200, 400), statuses, "round " + round);
            List<Map<String, Object>> stored = TestDatabase.query("SELECT flag_key FROM feature_flags "
                    + "WHERE (flag_key = ? AND ? = ANY (prerequisites)) OR (flag_key = ? AND ? = ANY (prerequisites))",
                    a, b, b, a);
            assertEquals(1, stored.size(), "exactly one prerequisite was stored in round " + round);
            // dependents first, so the cleanup can delete both
            created.remove(stored.get(0).get("flag_key"));
            created.add((String) stored.get(0).get("flag_key"));
        }
    }

    @Test
    void deletingAFlagRemovesItsOverridesSoAFlagCreatedLaterUnderItsKeyStartsClean() {
        String flag = create(Map.of());
        String customer = io.rollgate.support.TestIds.customer();
        Api.admin().body(Map.of("flags", Map.of(flag, true), "reason", "beta"))
                .put("/api/admin/customers/{id}/flags", customer).then().statusCode(200);
        Api.admin().queryParam("reason", "retired").delete("/api/admin/flags/{n}", flag).then().statusCode(204);
        assertEquals(List.of(Map.of("old_value", true, "reason", "retired")), TestDatabase.query(
                "SELECT old_value, reason FROM feature_flag_changes WHERE flag_path = ? AND customer_id = ? "
                        + "AND new_value IS NULL",
                flag, customer));
        Api.admin().body(Map.of("reason", "test", "name", flag)).post("/api/admin/flags").then().statusCode(201);
        Api.admin().get("/api/admin/customers/{id}/flags", customer).then().statusCode(200)
                .body("flags", equalTo(Map.of()));
        assertEquals(false, enabled(flag, Map.of("targetingKey", customer)));
    }

    @Test
    void widgetFlagsCanCarryRules() {
        String key = "sessionPersistence.phase2.offlineMode";
        int version = Api.admin().get("/api/admin/flags/{n}", key).then().extract().path("version");
        try {
            Api.admin()
                    .body(Map.of("reason", "test", "group", "phase2", "environmentDefaults", Map.of("production", false,
                            "staging", true, "development", true), "prerequisites",
                            List.of("sessionPersistence.phase1.parentStorage"),
                            "rules", List.of(Map.of("type", "group", "value", "org-rules-test")), "version", version))
                    .put("/api/admin/flags/{n}", key).then().statusCode(200)
                    .body("alias", equalTo("phase2_offline_mode"));
            given().queryParam("organizationId", "org-rules-test").get("/api/widget/config").then()
                    .body("sessionPersistence.phase2.offlineMode", equalTo(true));
        } finally {
            int now = Api.admin().get("/api/admin/flags/{n}", key).then().extract().path("version");
            Api.admin()
                    .body(Map.of("reason", "test", "group", "phase2", "environmentDefaults", Map.of("production", false,
                            "staging", true, "development", true), "prerequisites",
                            List.of("sessionPersistence.phase1.parentStorage"), "version", now,
                            "description", "Offline mode support"))
                    .put("/api/admin/flags/{n}", key).then().statusCode(200);
        }
    }

    @Test
    void flagGaugesFollowChanges() throws Exception {
        String flag = create(Map.of("rolloutPercentage", 25));
        Await.until(Duration.ofSeconds(5), Duration.ofMillis(20),
                () -> Metrics.value("rollgate_feature_flag_rollout", "name=\"" + flag + "\"") == 25.0,
                "the flag's rollout gauge");
        assertEquals(25.0, Metrics.value("rollgate_feature_flag_rollout", "name=\"" + flag + "\""));
        assertEquals(1.0, Metrics.value("rollgate_feature_flag_enabled", "name=\"" + flag + "\""));
        Api.admin().body(Map.of("reason", "test", "rolloutPercentage", 60))
                .put("/api/admin/flags/{n}/rollout-percentage", flag)
                .then().statusCode(200);
        assertEquals(60.0, Metrics.value("rollgate_feature_flag_rollout", "name=\"" + flag + "\""));
    }
}
