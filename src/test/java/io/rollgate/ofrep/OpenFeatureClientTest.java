package io.rollgate.ofrep;

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

/** The OpenFeature Java SDK with the stock OFREP provider, evaluating flags against the running service. */
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

        String baseUrl = service.toString().replaceAll("/$", "");
        OpenFeatureAPI api = OpenFeatureAPI.getInstance();
        api.setProviderAndWait(
                OfrepProvider.constructProvider(OfrepProviderOptions.builder().baseUrl(baseUrl).build()));
        Client client = api.getClient();

        MutableContext beta = new MutableContext("customer-sdk-1");
        beta.add("groupId", "beta-testers");
        FlagEvaluationDetails<Boolean> details = client.getBooleanDetails(flag, false, beta);
        assertTrue(details.getValue(), details.toString());
        assertEquals("TARGETING_MATCH", details.getReason());

        assertFalse(client.getBooleanValue(flag, true, new MutableContext("customer-sdk-2")));
        assertTrue(client.getBooleanValue("sessionPersistence.phase1.parentStorage", false,
                new MutableContext("customer-sdk-3")));
        // an unknown flag falls back to the application's default, as OpenFeature prescribes
        FlagEvaluationDetails<Boolean> missing = client.getBooleanDetails("no-such-flag", true,
                new MutableContext("customer-sdk-4"));
        assertTrue(missing.getValue());
        assertEquals("FLAG_NOT_FOUND", String.valueOf(missing.getErrorCode()));
    }
}
