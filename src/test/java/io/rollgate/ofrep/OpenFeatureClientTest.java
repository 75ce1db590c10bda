package io.rollgate.ofrep;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.openfeature.contrib.providers.ofrep.OfrepProvider;
import dev.openfeature.contrib.providers.ofrep.OfrepProviderOptions;
import dev.openfeature.sdk.Client;
import dev.openfeature.sdk.FlagEvaluationDetails;
import dev.openfeature.sdk.MutableContext;
import dev.openfeature.sdk.OpenFeatureAPI;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.rollgate.support.Api;
import java.net.URL;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The OpenFeature Java SDK with the stock OFREP provider, evaluating flags against the running service: rules on
 * groups and on any context attribute with an operator.
 */
@QuarkusTest
class OpenFeatureClientTest {

    @TestHTTPResource("/")
    URL service;

    private String flag;

    @AfterEach
    void cleanUp() {
        OpenFeatureAPI.getInstance().shutdown();
        if (flag != null) {
            Api.admin().queryParam("reason", "test cleanup").delete("/api/admin/flags/{n}", flag);
        }
    }

    @Test
    void anOpenFeatureClientEvaluatesRollgateFlags() {
        flag = "sdk-" + UUID.randomUUID();
        Api.admin()
                .body(Map.of("reason", "test", "name", flag, "rules",
                        List.of(Map.of("type", "group", "value", "beta-testers"))))
                .post("/api/admin/flags").then().statusCode(201);

        Client client = client();
        assertTargeted(client, "customer-sdk-1", "groupId", "beta-testers");

        assertFalse(client.getBooleanValue(flag, true, new MutableContext("customer-sdk-2")));
        assertTrue(client.getBooleanValue("sessionPersistence.phase1.parentStorage", false,
                new MutableContext("customer-sdk-3")));
        // an unknown flag falls back to the application's default, as OpenFeature prescribes
        FlagEvaluationDetails<Boolean> missing = client.getBooleanDetails("no-such-flag", true,
                new MutableContext("customer-sdk-4"));
        assertTrue(missing.getValue());
        assertEquals("FLAG_NOT_FOUND", String.valueOf(missing.getErrorCode()));
    }

    @Test
    void attributeRulesDecideForTheContextAnOpenFeatureClientSends() {
        flag = "attr-" + UUID.randomUUID();
        Api.admin().body(Map.of("name", flag, "reason", "test", "rules", List.of(
                Map.of("type", "attribute", "attribute", "plan", "operator", "in", "value",
                        List.of("pro", "enterprise")),
                Map.of("type", "attribute", "attribute", "appVersion", "operator", "semver_gt", "value", "2.4.0"))))
                .post("/api/admin/flags").then().statusCode(201)
                .body("rules[0].operator", equalTo("in")).body("rules[1].attribute", equalTo("appVersion"));

        Client client = client();
        assertTargeted(client, "customer-attr-1", "plan", "pro");

        MutableContext newApp = new MutableContext("customer-attr-2");
        newApp.add("plan", "free");
        newApp.add("appVersion", "2.10.1");
        assertTrue(client.getBooleanValue(flag, false, newApp));

        MutableContext oldApp = new MutableContext("customer-attr-3");
        oldApp.add("appVersion", "2.4.0-rc.1");
        assertFalse(client.getBooleanValue(flag, true, oldApp));

        // the explanation says why each rule did not match, a missing attribute included; never a 5xx
        Api.admin().body(Map.of("name", "attr-" + UUID.randomUUID(), "reason", "bad", "rules",
                List.of(Map.of("type", "attribute", "attribute", "plan", "operator", "resembles", "value", "pro"))))
                .post("/api/admin/flags").then().statusCode(400).body("errors.field", hasItem("rules[0].operator"));
        Api.viewer().queryParam("customerId", "customer-attr-4").queryParam("flag", flag).get("/api/admin/explain")
                .then().statusCode(200).body("flags[0].steps.detail", hasItem(
                        "rule 1 (plan in pro, enterprise) did not match: the context has no plan"));
    }

    private Client client() {
        OpenFeatureAPI api = OpenFeatureAPI.getInstance();
        api.setProviderAndWait(OfrepProvider.constructProvider(OfrepProviderOptions.builder()
                .baseUrl(service.toString().replaceAll("/$", "")).build()));
        return api.getClient();
    }

    /** The flag is on for a customer with this attribute, and a rule decided it. */
    private void assertTargeted(Client client, String customer, String attribute, String value) {
        MutableContext context = new MutableContext(customer);
        context.add(attribute, value);
        FlagEvaluationDetails<Boolean> details = client.getBooleanDetails(flag, false, context);
        assertTrue(details.getValue(), details.toString());
        assertEquals("TARGETING_MATCH", details.getReason());
    }
}
