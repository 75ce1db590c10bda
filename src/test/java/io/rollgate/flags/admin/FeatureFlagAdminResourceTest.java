package io.rollgate.flags.admin;

import static io.restassured.RestAssured.given;
import static io.rollgate.support.Overrides.ENHANCED_STORAGE;
import static io.rollgate.support.Overrides.body;
import static io.rollgate.support.Overrides.phase2;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.rollgate.support.Api;
import io.rollgate.support.TestDatabase;
import io.rollgate.support.TestIds;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
class FeatureFlagAdminResourceTest {

    private static final String RETRY_LOGIC = "sessionPersistence.phase2.retryLogic";
    private static final String OFFLINE_MODE = "sessionPersistence.phase2.offlineMode";

    @AfterEach
    void liftEveryKill() {
        Api.admin().body(Map.of("global", true, "reason", "test cleanup", "flags",
                Map.of(ENHANCED_STORAGE, true, RETRY_LOGIC, true, OFFLINE_MODE, true)))
                .post("/api/admin/feature-flags").then().statusCode(200);
    }

    @Test
    void listShowsEveryFlagWithPhaseValueAndSource() {
        String customer = TestIds.customer();
        Api.admin().body(body(phase2("enhancedStorage", true), "beta")).put("/api/admin/customers/{id}/flags", customer)
                .then().statusCode(200);
        Api.viewer().queryParam("customerId", customer).get("/api/admin/feature-flags")
                .then().statusCode(200)
                .body("success", equalTo(true))
                .body("features.findAll { it.key.startsWith('sessionPersistence.') }", hasSize(11))
                .body("features.find { it.key == '" + ENHANCED_STORAGE + "' }.value", equalTo(true))
                .body("features.find { it.key == '" + ENHANCED_STORAGE + "' }.source", equalTo("customer_override"))
                .body("features.find { it.key == '" + ENHANCED_STORAGE + "' }.phase", equalTo("phase2"))
                .body("features.find { it.key == '" + ENHANCED_STORAGE + "' }.alias",
                        equalTo("phase2_enhanced_storage"))
                .body("features.find { it.key == '" + RETRY_LOGIC + "' }.source", equalTo("environment"))
                .body("evaluation.source", equalTo("customer_override"))
                .body("evaluation.evaluatedAt", notNullValue());
    }

    @Test
    void rolloutNameEnablesTheFlagForOneCustomerAndAuditsThePrincipal() {
        String customer = TestIds.customer();
        Api.admin().body(Map.of("featureName", "phase2_enhanced_storage", "enabled", true, "customerId", customer,
                "changedBy", "someone-else", "reason", "Customer requested beta access"))
                .post("/api/admin/feature-flags")
                .then().statusCode(200)
                .body("success", equalTo(true))
                .body("changes", hasSize(1))
                .body("changes[0].flagPath", equalTo(ENHANCED_STORAGE));

        given().queryParam("customerId", customer).get("/api/widget/config")
                .then().body("sessionPersistence.phase2.enhancedStorage", equalTo(true));
        List<Map<String, Object>> rows = TestDatabase.query(
                "SELECT flag_path, old_value, new_value, changed_by, reason FROM feature_flag_changes "
                        + "WHERE customer_id = ?",
                customer);
        assertEquals(List.of(Map.of("flag_path", ENHANCED_STORAGE, "old_value", false, "new_value", true,
                "changed_by", "admin", "reason", "Customer requested beta access")), rows);
    }

    @Test
    void flagPathWorksForAnOrganization() {
        String organization = TestIds.organization();
        Api.admin().body(Map.of("featureName", RETRY_LOGIC, "enabled", true, "organizationId", organization,
                "reason", "org pilot"))
                .post("/api/admin/feature-flags").then().statusCode(200).body("scope", equalTo("organization"));
        given().queryParam("organizationId", organization).get("/api/widget/config")
                .then().body("sessionPersistence.phase2.retryLogic", equalTo(true))
                .body("evaluation.source", equalTo("organization_override"));
    }

    @Test
    void badRequestsAre400AndStoreNothing() {
        String customer = TestIds.customer();
        Api.admin().body(Map.of("featureName", "phase9_teleport", "enabled", true, "customerId", customer,
                "reason", "x")).post("/api/admin/feature-flags")
                .then().statusCode(400).contentType(Api.PROBLEM_JSON).body("errors[0].field", equalTo("featureName"));
        Api.admin()
                .body(Map.of("featureName", ENHANCED_STORAGE, "enabled", true, "customerId", customer))
                .post("/api/admin/feature-flags")
                .then().statusCode(400).body("errors[0].field", equalTo("reason"));
        Api.admin().body(Map.of("featureName", ENHANCED_STORAGE, "enabled", true, "customerId", customer,
                "organizationId", "org-1", "reason", "x")).post("/api/admin/feature-flags")
                .then().statusCode(400).body("errors[0].field", equalTo("target"));
        Api.admin().body(Map.of("featureName", ENHANCED_STORAGE, "enabled", "maybe", "customerId", customer,
                "reason", "x")).post("/api/admin/feature-flags")
                .then().statusCode(400).contentType(Api.PROBLEM_JSON);
        Api.admin().body(Map.of("featureName", ENHANCED_STORAGE, "customerId", customer, "reason", "x"))
                .post("/api/admin/feature-flags")
                .then().statusCode(400).body("errors[0].field", equalTo("enabled"));
        Api.admin().body(Map.of("featureName", ENHANCED_STORAGE, "enabled", true, "customerId", "bad id",
                "reason", "x")).post("/api/admin/feature-flags")
                .then().statusCode(400).body("errors[0].field", equalTo("customerId"));

        assertTrue(
                TestDatabase.query("SELECT 1 FROM customer_feature_flags WHERE customer_id = ?", customer).isEmpty());
        assertTrue(TestDatabase.query("SELECT 1 FROM feature_flag_changes WHERE customer_id = ?", customer).isEmpty());
    }

    @Test
    void globalKillBeatsEveryOverrideAndLiftingRestoresThem() {
        int version = Api.viewer().get("/api/admin/flags/configuration").then().extract().path("version");
        String customer = TestIds.customer();
        Api.admin().body(body(phase2("offlineMode", true), "beta")).put("/api/admin/customers/{id}/flags", customer)
                .then().statusCode(200);
        given().queryParam("customerId", customer).get("/api/widget/config")
                .then().body("sessionPersistence.phase2.offlineMode", equalTo(true));

        Api.admin().body(Map.of("global", true, "featureName", "phase2_offline_mode", "enabled", false,
                "reason", "High error rate detected"))
                .post("/api/admin/feature-flags")
                .then().statusCode(200)
                .body("scope", equalTo("global"))
                .body("changes[0].flagPath", equalTo(OFFLINE_MODE))
                .body("changes[0].oldValue", equalTo(true))
                .body("changes[0].newValue", equalTo(false));
        given().queryParam("customerId", customer).get("/api/widget/config")
                .then().body("sessionPersistence.phase2.offlineMode", equalTo(false));
        Api.viewer().get("/api/admin/flags/configuration").then().body("version", equalTo(version + 1));
        Api.admin().queryParam("customerId", customer).get("/api/admin/feature-flags").then()
                .body("features.find { it.key == '" + OFFLINE_MODE + "' }.source", equalTo("disabled"))
                .body("features.find { it.key == '" + OFFLINE_MODE + "' }.killed", equalTo(true));

        Api.admin().body(Map.of("global", true, "featureName", OFFLINE_MODE, "enabled", true, "reason", "fixed"))
                .post("/api/admin/feature-flags").then().statusCode(200);
        given().queryParam("customerId", customer).get("/api/widget/config")
                .then().body("sessionPersistence.phase2.offlineMode", equalTo(true));
    }

    @Test
    void emergencyRollbackOfSeed003KillsSeveralFlagsInOneCall() {
        String reason = "Emergency rollback " + TestIds.customer();
        Api.admin().body(Map.of("global", true, "reason", reason,
                "flags", Map.of(ENHANCED_STORAGE, false, RETRY_LOGIC, false)))
                .post("/api/admin/feature-flags")
                .then().statusCode(200).body("changes", hasSize(2));
        String customer = TestIds.customer();
        Api.admin().body(body(phase2("retryLogic", true), "beta")).put("/api/admin/customers/{id}/flags", customer)
                .then().statusCode(200);
        given().queryParam("customerId", customer).get("/api/widget/config").then()
                .body("sessionPersistence.phase2.enhancedStorage", equalTo(false))
                .body("sessionPersistence.phase2.retryLogic", equalTo(false))
                .body("sessionPersistence.phase3.tabSync", equalTo(false));
        List<Map<String, Object>> rows = TestDatabase.query(
                "SELECT scope, flag_path, new_value, changed_by FROM feature_flag_changes WHERE reason = ? "
                        + "ORDER BY flag_path",
                reason);
        assertEquals(List.of(
                Map.of("scope", "global", "flag_path", ENHANCED_STORAGE, "new_value", false, "changed_by", "admin"),
                Map.of("scope", "global", "flag_path", RETRY_LOGIC, "new_value", false, "changed_by", "admin")), rows);
    }

    @Test
    void globalSwitchWithAnUnknownFlagChangesNothing() {
        String reason = "partial " + TestIds.customer();
        Api.admin().body(Map.of("global", true, "reason", reason,
                "flags", Map.of(ENHANCED_STORAGE, false, "sessionPersistence.phase9.nothing", false)))
                .post("/api/admin/feature-flags")
                .then().statusCode(400).body("errors[0].field", equalTo("flags.sessionPersistence.phase9.nothing"));
        given().get("/api/admin/feature-flags").then().statusCode(401);
        Api.admin().get("/api/admin/feature-flags").then()
                .body("features.find { it.key == '" + ENHANCED_STORAGE + "' }.killed", equalTo(false));
        assertTrue(TestDatabase.query("SELECT 1 FROM feature_flag_changes WHERE reason = ?", reason).isEmpty());
    }

    @Test
    void aViewerCannotChangeFlags() {
        Api.viewer().body(Map.of("featureName", ENHANCED_STORAGE, "enabled", true, "customerId", TestIds.customer(),
                "reason", "x"))
                .post("/api/admin/feature-flags")
                .then().statusCode(403).contentType(Api.PROBLEM_JSON);
    }
}
