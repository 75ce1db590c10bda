package io.rollgate.overrides;

import static io.rollgate.support.Overrides.ENHANCED_STORAGE;
import static io.rollgate.support.Overrides.RETRY_LOGIC;
import static io.rollgate.support.Overrides.body;
import static io.rollgate.support.Overrides.phase2;
import static org.hamcrest.Matchers.anEmptyMap;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.rollgate.support.Api;
import io.rollgate.support.TestDatabase;
import io.rollgate.support.TestIds;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
class OverrideResourceTest {

    @Test
    void putReplacesTheWholeDocumentAndGetReadsItBack() {
        String customer = TestIds.customer();
        Api.admin().body(body(phase2("enhancedStorage", true), "first"))
                .put("/api/admin/customers/{id}/flags", customer)
                .then().statusCode(200);
        Api.admin().body(body(phase2("retryLogic", true), "second")).put("/api/admin/customers/{id}/flags", customer)
                .then().statusCode(200)
                .body("flags.sessionPersistence.phase2.retryLogic", equalTo(true))
                .body("flags.sessionPersistence.phase2.enhancedStorage", equalTo(null))
                .body("changes", hasSize(2));
        Api.viewer().get("/api/admin/customers/{id}/flags", customer)
                .then().statusCode(200)
                .body("scope", equalTo("customer"))
                .body("flags", equalTo(Map.of("sessionPersistence", Map.of("phase2", Map.of("retryLogic", true)))));
    }

    @Test
    void patchMergesLeafByLeafAndNullRemoves() {
        String organization = TestIds.organization();
        Api.admin().body(body(Map.of("sessionPersistence", Map.of("phase2",
                Map.of("enhancedStorage", true, "retryLogic", true))), "start"))
                .put("/api/admin/organizations/{id}/flags", organization).then().statusCode(200);
        Map<String, Object> leaves = new HashMap<>();
        leaves.put("retryLogic", null);
        leaves.put("offlineMode", true);
        Api.admin().body(body(Map.of("sessionPersistence", Map.of("phase2", leaves)), "merge"))
                .patch("/api/admin/organizations/{id}/flags", organization)
                .then().statusCode(200)
                .body("flags", equalTo(Map.of("sessionPersistence", Map.of("phase2",
                        Map.of("enhancedStorage", true, "offlineMode", true)))));
        List<Map<String, Object>> stored = TestDatabase.query(
                "SELECT jsonb_exists(flags->'sessionPersistence'->'phase2', 'retryLogic') AS has_retry "
                        + "FROM organization_feature_flags WHERE organization_id = ?",
                organization);
        assertEquals(false, stored.get(0).get("has_retry"));
    }

    @Test
    void aChangeMadeAgainstAVersionSomeoneElseMovedIsRefusedAndNothingIsLost() {
        String customer = TestIds.customer();
        String empty = Api.viewer().get("/api/admin/customers/{id}/flags", customer).then().statusCode(200)
                .extract().path("version");
        // a colleague sets an override while the first operator's page is open
        String colleagues = Api.admin().body(body(phase2("retryLogic", true), "colleague"))
                .patch("/api/admin/customers/{id}/flags", customer).then().statusCode(200)
                .body("version", org.hamcrest.Matchers.not(equalTo(empty))).extract().path("version");
        // the first operator saves against what their page read: refused, naming both versions
        Map<String, Object> stale = new HashMap<>(body(phase2("enhancedStorage", true), "mine"));
        stale.put("version", empty);
        for (String method : List.of("PUT", "PATCH")) {
            Api.admin().body(stale).request(method, "/api/admin/customers/{id}/flags", customer)
                    .then().statusCode(409)
                    .body("detail", containsString("since version " + empty + " was read (now " + colleagues + ")"));
        }
        Api.admin().queryParam("reason", "mine").queryParam("version", empty)
                .delete("/api/admin/customers/{id}/flags", customer).then().statusCode(409);
        // the colleague's override stands, and nothing was audited for the refused changes
        Api.viewer().get("/api/admin/customers/{id}/flags", customer).then().statusCode(200)
                .body("flags", equalTo(phase2("retryLogic", true))).body("version", equalTo(colleagues));
        assertEquals(1,
                TestDatabase.query("SELECT 1 FROM feature_flag_changes WHERE customer_id = ?", customer).size());

        // re-applied against the version now read: the one leaf is added, the colleague's kept
        Map<String, Object> fresh = new HashMap<>(body(phase2("enhancedStorage", true), "mine"));
        fresh.put("version", colleagues);
        Api.admin().body(fresh).patch("/api/admin/customers/{id}/flags", customer).then().statusCode(200)
                .body("flags.sessionPersistence.phase2.retryLogic", equalTo(true))
                .body("flags.sessionPersistence.phase2.enhancedStorage", equalTo(true))
                .body("changes", hasSize(1));
    }

    @Test
    void whatAGetAnswersCanBeSentBackWithAChangeAndItsScopeAndIdAreNotMoves() {
        String customer = TestIds.customer();
        Api.admin().body(body(phase2("retryLogic", true), "first")).put("/api/admin/customers/{id}/flags", customer)
                .then().statusCode(200);
        Map<String, Object> read = new HashMap<>(Api.viewer().get("/api/admin/customers/{id}/flags", customer).then()
                .statusCode(200).extract().as(Map.class));
        read.put("reason", "read, changed, written back");
        read.put("flags", Map.of("sessionPersistence", Map.of("phase2", Map.of("retryLogic", true,
                "enhancedStorage", true))));
        Api.admin().body(read).put("/api/admin/customers/{id}/flags", customer).then().statusCode(200)
                .body("changes", hasSize(1));
        read.put("id", TestIds.customer());
        read.put("version", null);
        Api.admin().body(read).put("/api/admin/customers/{id}/flags", customer).then().statusCode(400)
                .body("errors[0].field", equalTo("id"));
    }

    @Test
    void theVersionNamesTheContentSoTwoEqualDocumentsShareIt() {
        String one = TestIds.customer();
        String other = TestIds.customer();
        for (String customer : List.of(one, other)) {
            Api.admin().body(body(phase2("retryLogic", true), "same")).put("/api/admin/customers/{id}/flags", customer)
                    .then().statusCode(200);
        }
        assertEquals(Api.viewer().get("/api/admin/customers/{id}/flags", one).then().extract().path("version"),
                (Object) Api.viewer().get("/api/admin/customers/{id}/flags", other).then().extract().path("version"));
    }

    @Test
    void deleteClearsTheDocumentAndAuditsEachLeaf() {
        String customer = TestIds.customer();
        Api.admin().body(body(Map.of("sessionPersistence", Map.of("phase2",
                Map.of("enhancedStorage", true, "retryLogic", false))), "start"))
                .put("/api/admin/customers/{id}/flags", customer).then().statusCode(200);
        Api.admin().queryParam("reason", "customer left the beta").delete("/api/admin/customers/{id}/flags", customer)
                .then().statusCode(200).body("flags", anEmptyMap()).body("changes", hasSize(2));

        assertTrue(
                TestDatabase.query("SELECT 1 FROM customer_feature_flags WHERE customer_id = ?", customer).isEmpty());
        List<Map<String, Object>> audit = TestDatabase.query("SELECT flag_path, old_value, new_value "
                + "FROM feature_flag_changes WHERE customer_id = ? AND reason = 'customer left the beta' "
                + "ORDER BY flag_path", customer);
        // cleared leaves go back to what production inherits: false for both phase 2 flags
        assertEquals(List.of(
                Map.of("flag_path", ENHANCED_STORAGE, "old_value", true, "new_value", false),
                Map.of("flag_path", RETRY_LOGIC, "old_value", false, "new_value", false)), audit);
        Api.admin().delete("/api/admin/customers/{id}/flags", customer)
                .then().statusCode(400).body("errors[0].field", equalTo("reason"));
    }

    @Test
    void unknownPathsAndNonBooleanLeavesAreRefusedAndNothingIsStored() {
        String customer = TestIds.customer();
        Api.admin().body(body(Map.of("sessionPersistence", Map.of("phase2",
                Map.of("enhancedStorage", true, "teleport", true))), "x"))
                .put("/api/admin/customers/{id}/flags", customer)
                .then().statusCode(400).contentType(Api.PROBLEM_JSON)
                .body("errors[0].field", equalTo("sessionPersistence.phase2.teleport"))
                .body("detail", containsString("is not a known flag"));
        Api.admin().body(body(phase2("enhancedStorage", "yes"), "x"))
                .patch("/api/admin/customers/{id}/flags", customer)
                .then().statusCode(400).body("errors[0].reason", equalTo("must be true or false"));
        Api.admin().body(body(phase2("enhancedStorage", 1), "x"))
                .put("/api/admin/customers/{id}/flags", customer).then().statusCode(400);

        assertTrue(
                TestDatabase.query("SELECT 1 FROM customer_feature_flags WHERE customer_id = ?", customer).isEmpty());
        assertTrue(TestDatabase.query("SELECT 1 FROM feature_flag_changes WHERE customer_id = ?", customer).isEmpty());
    }

    @Test
    void malformedBodiesAreRefusedWithAClearDetail() {
        String customer = TestIds.customer();
        Api.admin().body("{\"flags\": ").put("/api/admin/customers/{id}/flags", customer)
                .then().statusCode(400).contentType(Api.PROBLEM_JSON)
                .body("detail", equalTo("The body is not valid JSON"));
        Api.admin().body(Map.of("flags", Map.of(), "reason", "x", "surprise", 1))
                .put("/api/admin/customers/{id}/flags", customer)
                .then().statusCode(400).contentType(Api.PROBLEM_JSON).body("detail", containsString("surprise"));
        Api.admin().body(Map.of("flags", "all of them", "reason", "x"))
                .put("/api/admin/customers/{id}/flags", customer)
                .then().statusCode(400).contentType(Api.PROBLEM_JSON).body("detail", containsString("flags"));
        Api.admin().put("/api/admin/customers/{id}/flags", customer)
                .then().statusCode(400).contentType(Api.PROBLEM_JSON);
        Api.admin().body(body(phase2("enhancedStorage", true), "x"))
                .put("/api/admin/customers/{id}/flags", "x".repeat(129))
                .then().statusCode(400).body("errors[0].field", equalTo("customerId"));
    }

    @Test
    void oversizedBodiesAreRefusedWith413() {
        String reason = "x".repeat(70_000);
        Api.admin().body(body(phase2("enhancedStorage", true), reason))
                .put("/api/admin/customers/{id}/flags", TestIds.customer())
                .then().statusCode(413).contentType(Api.PROBLEM_JSON);
    }

    @Test
    void chunkedBodiesAreHeldToTheSameLimitAsDeclaredOnes() throws Exception {
        // no Content-Length: the body streams in chunks, and is refused once it passes 64 KiB
        String oversized = "{\"flags\": {}, \"reason\": \"" + "x".repeat(70_000) + "\"}";
        HttpResponse<String> refused = chunked("/api/admin/customers/" + TestIds.customer() + "/flags", oversized);
        assertEquals(413, refused.statusCode(), refused.body());
        assertTrue(refused.body().contains("65536 bytes"), refused.body());
        assertEquals(Api.PROBLEM_JSON, refused.headers().firstValue("Content-Type").orElse("").split(";", 2)[0]);
        // a chunked body within the limit is read as usual
        String customer = TestIds.customer();
        String fine = "{\"flags\": {\"sessionPersistence\": {\"phase2\": {\"enhancedStorage\": true}}}, "
                + "\"reason\": \"" + "y".repeat(900) + "\"}";
        HttpResponse<String> accepted = chunked("/api/admin/customers/" + customer + "/flags", fine);
        assertEquals(200, accepted.statusCode(), accepted.body());
    }

    private static HttpResponse<String> chunked(String path, String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:8081" + path))
                .header("Authorization", "Bearer " + Api.ADMIN_TOKEN).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofInputStream(
                        () -> new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8))))
                .build();
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(request,
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void seed001AuditExampleIsRecordedAsTheSeedShowsIt() {
        String customer = TestIds.customer();
        Api.admin().body(body(phase2("enhancedStorage", true), "Customer requested beta access"))
                .put("/api/admin/customers/{id}/flags", customer).then().statusCode(200)
                .body("changes[0].customerId", equalTo(customer))
                .body("changes[0].flagPath", equalTo(ENHANCED_STORAGE))
                .body("changes[0].oldValue", equalTo(false))
                .body("changes[0].newValue", equalTo(true))
                .body("changes[0].changedBy", equalTo("admin"))
                .body("changes[0].reason", equalTo("Customer requested beta access"));
        List<Map<String, Object>> rows = TestDatabase.query("SELECT scope, customer_id, organization_id, flag_path, "
                + "old_value, new_value, changed_by, reason, changed_at IS NOT NULL AS timed "
                + "FROM feature_flag_changes WHERE customer_id = ?", customer);
        assertEquals(1, rows.size());
        Map<String, Object> row = new HashMap<>(rows.get(0));
        assertEquals("customer", row.get("scope"));
        assertEquals(null, row.get("organization_id"));
        assertEquals(ENHANCED_STORAGE, row.get("flag_path"));
        assertEquals(false, row.get("old_value"));
        assertEquals(true, row.get("new_value"));
        assertEquals("admin", row.get("changed_by"));
        assertEquals("Customer requested beta access", row.get("reason"));
        assertEquals(true, row.get("timed"));
    }

    @Test
    void theAuditsOldValueIsWhatTheCustomerWasActuallyServed() {
        String flag = "ov-" + java.util.UUID.randomUUID();
        Api.admin().body(Map.of("reason", "test", "name", flag, "rolloutPercentage", 100)).post("/api/admin/flags")
                .then()
                .statusCode(201);
        try {
            String customer = TestIds.customer();
            // served true by the flag's 100 % ramp, with no override of its own
            Api.admin().body(Map.of("flags", Map.of(flag, false), "reason", "opt out"))
                    .put("/api/admin/customers/{id}/flags", customer).then().statusCode(200);
            Api.admin().body(Map.of("global", true, "featureName", flag, "enabled", false, "reason", "incident"))
                    .post("/api/admin/feature-flags").then().statusCode(200);
            // the override says false, the kill switch serves false: the new override changes nothing served
            Api.admin().body(Map.of("flags", Map.of(flag, true), "reason", "opt back in"))
                    .put("/api/admin/customers/{id}/flags", customer).then().statusCode(200);
            assertEquals(List.of(Map.of("reason", "opt out", "old_value", true, "new_value", false),
                    Map.of("reason", "opt back in", "old_value", false, "new_value", true)),
                    TestDatabase.query("SELECT reason, old_value, new_value FROM feature_flag_changes "
                            + "WHERE customer_id = ? AND flag_path = ? ORDER BY id", customer, flag));
        } finally {
            Api.admin().queryParam("reason", "test cleanup").delete("/api/admin/flags/{n}", flag);
        }
    }

    @Test
    void writingTheSameValueAgainChangesAndAuditsNothing() {
        String customer = TestIds.customer();
        Api.admin().body(body(phase2("enhancedStorage", true), "once"))
                .patch("/api/admin/customers/{id}/flags", customer)
                .then().statusCode(200).body("changes", hasSize(1));
        Api.admin().body(body(phase2("enhancedStorage", true), "twice"))
                .patch("/api/admin/customers/{id}/flags", customer)
                .then().statusCode(200).body("changes", hasSize(0));
        assertEquals(1,
                TestDatabase.query("SELECT 1 FROM feature_flag_changes WHERE customer_id = ?", customer).size());
    }

    @Test
    void theHoldersOfOverrideDocumentsAreListedNewestFirstWithHowManyFlagsTheySet() {
        String older = TestIds.customer();
        String newer = TestIds.customer();
        Api.admin().body(body(phase2("enhancedStorage", true), "holders"))
                .patch("/api/admin/customers/{id}/flags", older)
                .then().statusCode(200);
        Api.admin().body(body(Map.of("sessionPersistence", Map.of("phase2", Map.of("enhancedStorage", true,
                "retryLogic", false))), "holders")).patch("/api/admin/customers/{id}/flags", newer)
                .then().statusCode(200);

        Api.viewer().queryParam("size", 2).get("/api/admin/overrides").then().statusCode(200)
                .body("scope", equalTo("customer"))
                .body("items.id", equalTo(List.of(newer, older)))
                .body("items.flags", equalTo(List.of(2, 1)))
                .body("total", org.hamcrest.Matchers.greaterThanOrEqualTo(2));
        Api.viewer().queryParam("scope", "organization").get("/api/admin/overrides").then().statusCode(200)
                .body("scope", equalTo("organization"));
        Api.viewer().queryParam("scope", "planet").get("/api/admin/overrides").then().statusCode(400)
                .body("errors[0].field", equalTo("scope"));
        Api.viewer().queryParam("size", 0).get("/api/admin/overrides").then().statusCode(400)
                .body("errors[0].field", equalTo("size"));

        // an organization's operator sees its own document, not the list of everyone holding one
        String token = Api.admin().body(Map.of("name", "holders ops", "role", "organization-operator",
                "organizationId", TestIds.organization(), "reason", "holders"))
                .post("/api/admin/tokens").then().statusCode(201).extract().path("token");
        Api.as(token).get("/api/admin/overrides").then().statusCode(403);
    }
}
