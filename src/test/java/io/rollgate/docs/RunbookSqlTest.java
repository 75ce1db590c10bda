package io.rollgate.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.rollgate.support.Api;
import io.rollgate.support.Events;
import io.rollgate.support.Runbooks;
import io.rollgate.support.TestDatabase;
import io.rollgate.support.TestFlags;
import io.rollgate.support.TestIds;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The monitoring queries of the operations documentation, run verbatim, answer from what the service stored. */
@QuarkusTest
class RunbookSqlTest {

    private final TestFlags flags = new TestFlags();

    @AfterEach
    void cleanUp() {
        flags.deleteAll();
    }

    private static List<Map<String, Object>> rowsOf(String runbook, String column, Object value) {
        return TestDatabase.query(Runbooks.sql(runbook)).stream().filter(row -> value.equals(row.get(column))).toList();
    }

    @Test
    void rolloutStatusErrorRateRecentAndTopErrorsAnswerFromTheStoredEvents() {
        String flag = flags.create();
        Api.admin().body(Map.of("featureName", flag, "reason", "pilot")).post("/api/admin/rollouts").then()
                .statusCode(201);
        Map<String, Object> draft = rowsOf("rollout-status", "feature_name", flag).get(0);
        assertEquals("tier_0_disabled", draft.get("current_tier"));
        assertEquals("draft", draft.get("status"));
        Api.admin().body(Map.of("reason", "test")).post("/api/admin/rollouts/{f}/start", flag).then().statusCode(200);
        Map<String, Object> started = rowsOf("rollout-status", "feature_name", flag).get(0);
        assertEquals("tier_1_internal", started.get("current_tier"));
        assertEquals("active", started.get("status"));

        List<Map<String, Object>> events = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            events.add(Map.of("featureName", flag, "customerId", "c-" + i, "event", "enabled"));
        }
        for (int i = 0; i < 5; i++) {
            events.add(Map.of("featureName", flag, "customerId", "c-" + i, "event", "success"));
        }
        for (int i = 0; i < 3; i++) {
            events.add(Map.of("featureName", flag, "customerId", "c-" + i, "event", "error",
                    "metadata", Map.of("message", "storage quota exceeded")));
        }
        Events.send(Events.batch(events));

        Map<String, Object> rate = rowsOf("error-rate-last-hour", "feature_name", flag).get(0);
        assertEquals(3L, rate.get("errors"));
        assertEquals(7L, rate.get("enabled"));
        assertEquals(new BigDecimal("42.86"), rate.get("error_rate_percent"));
        assertEquals(3L, rowsOf("recent-errors", "feature_name", flag).get(0).get("error_count"));
        List<Map<String, Object>> top = rowsOf("top-errors", "feature_name", flag);
        assertEquals(3, top.size());
        assertTrue(String.valueOf(top.get(0).get("metadata")).contains("storage quota exceeded"));
    }

    @Test
    void theFeatureErrorAndAuditQueriesFindWhatTheyName() throws Exception {
        String customer = TestIds.customer();
        Events.send(Events.batch(List.of(Map.of("featureName", "sessionPersistence.phase2.enhancedStorage",
                "customerId", customer, "event", "error"))));
        assertEquals(1, rowsOf("feature-errors", "customer_id", customer).size());

        // the runbooks name customer-123; leave its document as it was found
        Map<String, Object> before = Api.viewer().get("/api/admin/customers/customer-123/flags").then()
                .statusCode(200).extract().path("flags");
        String reason = "runbook check " + UUID.randomUUID();
        Boolean was = TestDatabase.query("SELECT (flags #>> '{sessionPersistence,phase2,enhancedStorage}')::boolean "
                + "AS v FROM customer_feature_flags WHERE customer_id = 'customer-123'").stream()
                .map(row -> (Boolean) row.get("v")).findFirst().orElse(null);
        boolean flipped = !Boolean.TRUE.equals(was);
        try {
            Api.admin().body(Map.of("flags", Map.of("sessionPersistence", Map.of("phase2",
                    Map.of("enhancedStorage", flipped))), "reason", reason))
                    .patch("/api/admin/customers/customer-123/flags").then().statusCode(200);
            for (String runbook : List.of("audit-by-customer", "audit-by-flag", "audit-recent")) {
                Map<String, Object> newest = TestDatabase.query(Runbooks.sql(runbook)).get(0);
                assertEquals(reason, newest.get("reason"), runbook);
                assertEquals("sessionPersistence.phase2.enhancedStorage", newest.get("flag_path"), runbook);
                assertEquals(flipped, newest.get("new_value"), runbook);
            }
        } finally {
            Api.admin().body(Map.of("flags", before, "reason", "restore after the runbook check"))
                    .put("/api/admin/customers/customer-123/flags").then().statusCode(200);
        }
    }
}
