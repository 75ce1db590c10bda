package io.rollgate.evaluation;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.rollgate.engine.Bucketing;
import io.rollgate.support.Api;
import io.rollgate.support.TestFlags;
import io.rollgate.support.TestIds;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
class ExplainResourceTest {

    private final TestFlags flags = new TestFlags();

    @AfterEach
    void removeFlags() {
        flags.deleteAll();
    }

    private static JsonPath explain(Map<String, String> query) {
        return Api.viewer().queryParams(query).get("/api/admin/explain").then().statusCode(200).extract().jsonPath();
    }

    @Test
    void anOrganizationsOverrideIsExplainedAndItsAbsenceIsPointedOut() {
        String flag = flags.create();
        String customer = TestIds.customer();
        String organization = TestIds.organization();
        Api.admin().body(Map.of("featureName", flag, "enabled", true, "organizationId", organization, "reason",
                "pilot organization")).post("/api/admin/feature-flags").then().statusCode(200);

        JsonPath both = explain(Map.of("customerId", customer, "organizationId", organization, "flag", flag));
        assertEquals(List.of(), both.getList("warnings"));
        assertEquals(true, both.getBoolean("flags[0].value"));
        assertEquals("organization_override", both.getString("flags[0].source"));
        assertEquals(List.of("kill switch", "prerequisites", "customer override", "organization override"),
                both.getList("flags[0].steps.step"));
        assertEquals(List.of("passed", "passed", "passed", "decided"), both.getList("flags[0].steps.outcome"));
        assertEquals("customer " + customer + "'s document does not set " + flag,
                both.getString("flags[0].steps[2].detail"));
        assertEquals("organization " + organization + "'s document sets " + flag + " to true",
                both.getString("flags[0].steps[3].detail"));

        // the customer alone: the organization's override cannot apply, and the answer says so
        JsonPath alone = explain(Map.of("customerId", customer, "flag", flag));
        assertTrue(alone.getString("warnings[0]").startsWith("No organization given"), alone.prettify());
        assertEquals(false, alone.getBoolean("flags[0].value"));
        assertEquals("default", alone.getString("flags[0].steps[-1].step"));
        assertEquals("the flag's default: false", alone.getString("flags[0].steps[-1].detail"));
    }

    @Test
    void aRolloutNamesTheCustomersBucketAgainstItsPercentage() {
        String flag = flags.create();
        Api.admin().body(Map.of("featureName", flag, "reason", "ramp")).post("/api/admin/rollouts").then()
                .statusCode(201);
        Api.admin().body(Map.of("reason", "go")).post("/api/admin/rollouts/{f}/start", flag).then().statusCode(200);
        Api.admin().body(Map.of("reason", "go", "force", true)).post("/api/admin/rollouts/{f}/advance", flag).then()
                .statusCode(200).body("percentage", equalTo(10));
        // one customer in the 10 % and one outside it, found by the hash every replica uses
        String in = null;
        String out = null;
        for (int i = 0; in == null || out == null; i++) {
            String customer = "explain-" + i;
            if (Bucketing.bucket(flag, customer) <= 10) {
                in = in == null ? customer : in;
            } else {
                out = out == null ? customer : out;
            }
        }
        JsonPath inside = explain(Map.of("customerId", in, "flag", flag));
        assertEquals(true, inside.getBoolean("flags[0].value"));
        assertEquals("rollout", inside.getString("flags[0].steps[-1].step"));
        assertEquals("rollout active at tier_2_early_adopters (10 %): in percentage, bucket "
                + Bucketing.bucket(flag, in) + " within 10 %", inside.getString("flags[0].steps[-1].detail"));
        JsonPath outside = explain(Map.of("customerId", out, "flag", flag));
        assertEquals(false, outside.getBoolean("flags[0].value"));
        assertTrue(outside.getString("flags[0].steps[-1].detail").endsWith("outside percentage, bucket "
                + Bucketing.bucket(flag, out) + " above 10 %"), outside.getString("flags[0].steps[-1].detail"));
    }

    @Test
    void aPrerequisiteThatIsOffIsNamedWithWhatTurnedItOff() throws Exception {
        String base = flags.create();
        String dependent = flags.create();
        Api.admin().body(Map.of("global", true, "featureName", base, "enabled", false, "reason", "incident"))
                .post("/api/admin/feature-flags").then().statusCode(200);
        io.rollgate.support.TestDatabase.update("UPDATE feature_flags SET prerequisites = ARRAY[?] "
                + "WHERE flag_key = ?", base, dependent);
        Api.admin().post("/api/admin/catalog/reload").then().statusCode(200);
        JsonPath why = explain(Map.of("customerId", TestIds.customer(), "organizationId", TestIds.organization(),
                "flag", dependent));
        assertEquals("prerequisites", why.getString("flags[0].steps[-1].step"));
        assertEquals("prerequisite " + base + " is off: decided by disabled",
                why.getString("flags[0].steps[-1].detail"));
    }

    @Test
    void everyFlagIsExplainedWhenNoneIsNamedAndBadQuestionsAreRefused() {
        int catalog = Api.viewer().get("/api/admin/feature-flags").then().statusCode(200).extract()
                .jsonPath().getList("features").size();
        Api.viewer().get("/api/admin/explain").then().statusCode(200).body("flags", hasSize(catalog))
                .body("warnings[0]", containsString("No customer given"));
        Api.viewer().queryParam("flag", "no.such.flag").get("/api/admin/explain").then().statusCode(404);
        Api.viewer().queryParam("customerId", "bad id with spaces").get("/api/admin/explain").then().statusCode(400);
    }
}
