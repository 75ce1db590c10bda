package io.rollgate.audit;

import static io.rollgate.support.Overrides.ENHANCED_STORAGE;
import static io.rollgate.support.Overrides.RETRY_LOGIC;
import static io.rollgate.support.Overrides.body;
import static io.rollgate.support.Overrides.phase2;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.rollgate.support.Api;
import io.rollgate.support.TestDatabase;
import io.rollgate.support.TestIds;
import java.sql.SQLException;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
class AuditResourceTest {

    @Test
    void filtersByCustomerNewestFirstAndPages() {
        String customer = TestIds.customer();
        Api.admin().body(body(phase2("enhancedStorage", true), "one"))
                .patch("/api/admin/customers/{id}/flags", customer)
                .then().statusCode(200);
        Api.admin().body(body(phase2("retryLogic", true), "two")).patch("/api/admin/customers/{id}/flags", customer)
                .then().statusCode(200);
        Api.admin().body(body(phase2("enhancedStorage", false), "three"))
                .patch("/api/admin/customers/{id}/flags", customer).then().statusCode(200);

        Api.viewer().queryParam("customerId", customer).get("/api/admin/audit")
                .then().statusCode(200)
                .body("total", equalTo(3))
                .body("items.reason", equalTo(java.util.List.of("three", "two", "one")))
                .body("items.customerId", everyItem(equalTo(customer)));
        Api.viewer().queryParam("customerId", customer).queryParam("size", 1).queryParam("page", 1)
                .get("/api/admin/audit")
                .then().statusCode(200).body("items", hasSize(1)).body("items[0].reason", equalTo("two"))
                .body("page", equalTo(1)).body("size", equalTo(1)).body("total", equalTo(3));
    }

    @Test
    void filtersByFlagPathOrRolloutNameAndByOrganization() {
        String organization = TestIds.organization();
        Api.admin().body(body(Map.of("sessionPersistence", Map.of("phase2",
                Map.of("enhancedStorage", true, "retryLogic", true))), "org pilot"))
                .put("/api/admin/organizations/{id}/flags", organization).then().statusCode(200);

        Api.admin().queryParam("organizationId", organization).queryParam("flagPath", "phase2_enhanced_storage")
                .get("/api/admin/audit")
                .then().statusCode(200).body("total", equalTo(1))
                .body("items[0].flagPath", equalTo(ENHANCED_STORAGE))
                .body("items[0].scope", equalTo("organization"));
        Api.admin().queryParam("organizationId", organization).queryParam("flagPath", RETRY_LOGIC)
                .get("/api/admin/audit")
                .then().statusCode(200).body("total", equalTo(1)).body("items[0].flagPath", equalTo(RETRY_LOGIC));
    }

    @Test
    void filtersByActorActionFlagPrefixAndTimeRange() {
        String customer = TestIds.customer();
        java.time.Instant before = java.time.Instant.now().minusSeconds(1);
        Api.admin().body(body(phase2("enhancedStorage", true), "prefix one"))
                .patch("/api/admin/customers/{id}/flags", customer).then().statusCode(200);
        Api.admin().body(body(Map.of("sessionPersistence", Map.of("phase1", Map.of("parentStorage", false))),
                "prefix two")).patch("/api/admin/customers/{id}/flags", customer).then().statusCode(200);
        String after = java.time.Instant.now().plusSeconds(1).toString();

        Api.viewer().queryParam("customerId", customer).queryParam("flagPrefix", "sessionPersistence.phase2.")
                .get("/api/admin/audit").then().statusCode(200).body("total", equalTo(1))
                .body("items[0].reason", equalTo("prefix one"));
        // the prefix is matched as text: % and _ are not wildcards
        Api.viewer().queryParam("customerId", customer).queryParam("flagPrefix", "session%")
                .get("/api/admin/audit").then().statusCode(200).body("total", equalTo(0));
        String actor = Api.viewer().queryParam("customerId", customer).get("/api/admin/audit")
                .path("items[0].changedBy");
        Api.viewer().queryParam("customerId", customer).queryParam("changedBy", actor).queryParam("action", "set")
                .queryParam("from", before.toString()).queryParam("to", after)
                .get("/api/admin/audit").then().statusCode(200).body("total", equalTo(2));
        Api.viewer().queryParam("customerId", customer).queryParam("changedBy", "someone-else")
                .get("/api/admin/audit").then().statusCode(200).body("total", equalTo(0));
        Api.viewer().queryParam("customerId", customer).queryParam("to", before.toString())
                .get("/api/admin/audit").then().statusCode(200).body("total", equalTo(0));
        Api.viewer().queryParam("from", "yesterday").get("/api/admin/audit").then().statusCode(400)
                .body("errors[0].field", equalTo("from"));
        Api.viewer().queryParam("from", after).queryParam("to", before.toString()).get("/api/admin/audit").then()
                .statusCode(400).body("errors[0].field", equalTo("to"));
    }

    @Test
    void badPagingIsRefused() {
        Api.admin().queryParam("size", 0).get("/api/admin/audit").then().statusCode(400)
                .body("errors[0].field", equalTo("size"));
        Api.admin().queryParam("size", 10_000).get("/api/admin/audit").then().statusCode(400);
        Api.admin().queryParam("page", -1).get("/api/admin/audit").then().statusCode(400)
                .body("errors[0].field", equalTo("page"));
        Api.admin().queryParam("customerId", "not valid!").get("/api/admin/audit").then().statusCode(400);
        Api.admin().queryParam("page", 5_000_000).queryParam("size", 200).get("/api/admin/audit").then()
                .statusCode(400).body("errors[0].field", equalTo("page"));
        Api.admin().queryParam("subjectType", "planet").get("/api/admin/audit").then().statusCode(400)
                .body("errors[0].field", equalTo("subjectType"));
    }

    @Test
    void theFiltersAreOfferedTheActionsAndActorsOfTheLatestEntries() {
        String tokenName = "values-" + java.util.UUID.randomUUID().toString().substring(0, 8);
        String token = Api.admin().body(Map.of("name", tokenName, "role", "operator", "reason", "values"))
                .post("/api/admin/tokens").then().statusCode(201).extract().path("token");
        Api.as(token).body(body(phase2("enhancedStorage", true), "values")).put("/api/admin/customers/{id}/flags",
                TestIds.customer()).then().statusCode(200);
        Api.viewer().get("/api/admin/audit/values").then().statusCode(200)
                .body("actions", org.hamcrest.Matchers.hasItems("set", "token.create"))
                .body("actors", org.hamcrest.Matchers.hasItems("admin", "token:" + tokenName))
                .body("window", equalTo(10_000));
    }

    @Test
    void everyEntrySaysWhatKindOfThingChangedAndCanaryAndTokenEntriesDoNotPoseAsFlags() {
        String customer = TestIds.customer();
        Api.admin().body(body(phase2("enhancedStorage", true), "subject check"))
                .put("/api/admin/customers/{id}/flags", customer).then().statusCode(200);
        Api.viewer().queryParam("subjectType", "override").queryParam("subject", "customer:" + customer)
                .get("/api/admin/audit").then().statusCode(200).body("total", equalTo(1))
                .body("items[0].flagPath", equalTo(ENHANCED_STORAGE)).body("items[0].customerId", equalTo(customer));

        String tokenId = Api.admin().body(Map.of("name", "audit subject", "role", "viewer", "reason", "subjects"))
                .post("/api/admin/tokens").then().statusCode(201).extract().path("id");
        Api.viewer().queryParam("subjectType", "token").queryParam("subject", tokenId).get("/api/admin/audit").then()
                .statusCode(200).body("total", equalTo(1)).body("items[0].action", equalTo("token.create"))
                .body("items[0].flagPath", nullValue()).body("items[0].details.after.name", equalTo("audit subject"));

        String service = "audit-" + java.util.UUID.randomUUID().toString().substring(0, 8);
        Api.admin().body(Map.of("version", "v9", "strategy", "instant", "reason", "hotfix"))
                .post("/api/admin/canary/{s}/deployments", service).then().statusCode(201);
        Api.viewer().queryParam("subjectType", "canary").queryParam("subject", service).get("/api/admin/audit").then()
                .statusCode(200).body("total", equalTo(1)).body("items[0].action", equalTo("canary.instant"))
                .body("items[0].flagPath", nullValue());
        assertEquals(0, TestDatabase.query("SELECT 1 FROM feature_flag_changes WHERE flag_path = ?", service).size());
    }

    @Test
    void theDatabaseRefusesToRewriteOrDeleteAuditRows() throws SQLException {
        String customer = TestIds.customer();
        Api.admin().body(body(phase2("enhancedStorage", true), "kept forever"))
                .put("/api/admin/customers/{id}/flags", customer).then().statusCode(200);

        SQLException update = assertThrows(SQLException.class, () -> TestDatabase.update(
                "UPDATE feature_flag_changes SET reason = 'rewritten' WHERE customer_id = ?", customer));
        assertTrue(update.getMessage().contains("append-only"), update.getMessage());
        SQLException delete = assertThrows(SQLException.class, () -> TestDatabase.update(
                "DELETE FROM feature_flag_changes WHERE customer_id = ?", customer));
        assertTrue(delete.getMessage().contains("append-only"), delete.getMessage());
        assertThrows(SQLException.class, () -> TestDatabase.update("TRUNCATE feature_flag_changes"));

        assertEquals("kept forever", TestDatabase.query(
                "SELECT reason FROM feature_flag_changes WHERE customer_id = ?", customer).get(0).get("reason"));
    }
}
