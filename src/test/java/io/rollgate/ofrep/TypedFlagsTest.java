package io.rollgate.ofrep;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.openfeature.contrib.providers.ofrep.OfrepProvider;
import dev.openfeature.contrib.providers.ofrep.OfrepProviderOptions;
import dev.openfeature.sdk.Client;
import dev.openfeature.sdk.FlagEvaluationDetails;
import dev.openfeature.sdk.MutableContext;
import dev.openfeature.sdk.OpenFeatureAPI;
import dev.openfeature.sdk.Value;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.rollgate.engine.Variants;
import io.rollgate.support.Api;
import java.net.URL;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Typed flags through the API and the published OpenFeature Java SDK with the stock OFREP provider: string, number
 * and object values with their variant and reason, a split, a rule, a type the client did not ask for, and the
 * configuration document carrying them unchanged.
 */
@QuarkusTest
class TypedFlagsTest {

    @TestHTTPResource("/")
    URL service;

    private final List<String> created = new ArrayList<>();

    @AfterEach
    void cleanUp() {
        OpenFeatureAPI.getInstance().shutdown();
        created.forEach(flag -> Api.admin().queryParam("reason", "test cleanup").delete("/api/admin/flags/{n}", flag));
    }

    private String create(Map<String, Object> body) {
        String name = "typed-" + UUID.randomUUID();
        Map<String, Object> request = new HashMap<>(body);
        request.put("name", name);
        request.put("reason", "typed flags test");
        Api.admin().body(request).post("/api/admin/flags").then().statusCode(201);
        created.add(name);
        return name;
    }

    private Client client() {
        OpenFeatureAPI api = OpenFeatureAPI.getInstance();
        api.setProviderAndWait(OfrepProvider.constructProvider(OfrepProviderOptions.builder()
                .baseUrl(service.toString().replaceAll("/$", "")).build()));
        return api.getClient();
    }

    @Test
    void stringNumberAndObjectFlagsReachAnOpenFeatureClientWithVariantAndReason() {
        String theme = create(Map.of("type", "string",
                "variants", Map.of("blue", "#0000ff", "green", "#00ff00", "purple", "#ff00ff"),
                "defaultVariant", "blue",
                "split", List.of(Map.of("variant", "blue", "weight", 50), Map.of("variant", "green", "weight", 50)),
                "rules", List.of(Map.of("type", "group", "value", "beta-testers", "variant", "purple"))));
        String timeout = create(Map.of("type", "number", "variants", Map.of("short", 1500, "long", 4500.5),
                "defaultVariant", "short"));
        String settings = create(Map.of("type", "object",
                "variants", Map.of("v1", Map.of("providers", List.of("a", "b"), "retries", 3)),
                "defaultVariant", "v1"));
        Client client = client();

        // a split: the variant the engine draws for this key, reason SPLIT
        String key = "customer-" + UUID.randomUUID();
        FlagEvaluationDetails<String> split = client.getStringDetails(theme, "none", new MutableContext(key));
        String expected = Variants.pick(theme, key, List.of(new Variants.Weight("blue", 50),
                new Variants.Weight("green", 50))).variant();
        assertEquals(expected, split.getVariant(), split.toString());
        assertEquals(expected.equals("blue") ? "#0000ff" : "#00ff00", split.getValue());
        assertEquals("SPLIT", split.getReason());

        // a rule's variant
        MutableContext beta = new MutableContext("customer-beta");
        beta.add("groupId", "beta-testers");
        FlagEvaluationDetails<String> targeted = client.getStringDetails(theme, "none", beta);
        assertEquals("#ff00ff", targeted.getValue());
        assertEquals("purple", targeted.getVariant());
        assertEquals("TARGETING_MATCH", targeted.getReason());
        // evaluations are counted by variant, every variant from zero
        assertEquals(1.0, io.rollgate.support.Metrics.value("rollgate_flag_variants_total",
                "flag=\"" + theme + "\",variant=\"purple\""));
        assertEquals(0.0, io.rollgate.support.Metrics.value("rollgate_flag_variants_total",
                "flag=\"" + theme + "\",variant=\"" + (expected.equals("blue") ? "green" : "blue") + "\""));

        FlagEvaluationDetails<Integer> number = client.getIntegerDetails(timeout, 0, new MutableContext(key));
        assertEquals(1500, number.getValue(), number.toString());
        assertEquals("STATIC", number.getReason());
        Value object = client.getObjectValue(settings, new Value("none"), new MutableContext(key));
        assertTrue(object.isStructure(), object.toString());
        assertEquals(3, object.asStructure().getValue("retries").asInteger());
        assertEquals("b", object.asStructure().getValue("providers").asList().get(1).asString());

        // the widget config nests a typed flag's value under its key, as it does on and off
        io.restassured.RestAssured.given().queryParam("customerId", key).get("/api/widget/config").then()
                .statusCode(200).body("'" + timeout + "'", equalTo(1500))
                .body("'" + settings + "'.retries", equalTo(3));

        // the client asked for a boolean: the provider says TYPE_MISMATCH and keeps the application's default
        FlagEvaluationDetails<Boolean> mismatch = client.getBooleanDetails(theme, true, new MutableContext(key));
        assertTrue(mismatch.getValue());
        assertEquals("TYPE_MISMATCH", String.valueOf(mismatch.getErrorCode()));
    }

    @Test
    void theApiShowsExplainsAndRefusesTypedFlags() {
        String theme = create(Map.of("type", "string", "variants", Map.of("blue", "#00f", "green", "#0f0"),
                "defaultVariant", "blue",
                "split", List.of(Map.of("variant", "blue", "weight", 10), Map.of("variant", "green", "weight", 90))));
        Api.viewer().get("/api/admin/flags/{n}", theme).then().statusCode(200).body("type", equalTo("string"))
                .body("variants.green", equalTo("#0f0")).body("defaultVariant", equalTo("blue"))
                .body("split.weight", equalTo(List.of(10, 90)));
        Api.viewer().queryParam("customerId", "customer-3").queryParam("flag", theme).get("/api/admin/explain")
                .then().statusCode(200)
                .body("flags[0].steps.step", equalTo(List.of("kill switch", "prerequisites", "overrides", "rules",
                        "split")));
        String drawn = Variants.pick(theme, "customer-3", List.of(new Variants.Weight("blue", 10),
                new Variants.Weight("green", 90))).variant();
        Api.admin().body(Map.of("context", Map.of("targetingKey", "customer-3")))
                .post("/api/flags/{n}/evaluate", theme).then().statusCode(200).body("variant", equalTo(drawn))
                .body("value", equalTo(drawn.equals("blue") ? "#00f" : "#0f0")).body("reason", equalTo("percentage"));

        // wrong values are refused with the field named, and nothing is created
        Api.admin().body(Map.of("name", "typed-" + UUID.randomUUID(), "reason", "bad", "type", "number",
                "variants", Map.of("a", "fast"), "defaultVariant", "b"))
                .post("/api/admin/flags").then().statusCode(400)
                .body("errors.field", hasItems("variants.a", "defaultVariant"));
        // a rollout widens on and off: a typed flag splits instead
        Api.admin().body(Map.of("featureName", theme, "reason", "ramp")).post("/api/admin/rollouts").then()
                .statusCode(400).body("errors.field", hasItem("featureName"));
        // a boolean flag's default is true or false, not 42
        Api.admin().body(Map.of("name", "typed-" + UUID.randomUUID(), "reason", "bad", "defaultValue", 42))
                .post("/api/admin/flags").then().statusCode(400);
    }

    @Test
    void theConfigurationDocumentCarriesTypedFlagsBackUnchanged() {
        String theme = create(Map.of("type", "object", "variants", Map.of("on", Map.of("a", 1), "off", Map.of()),
                "defaultVariant", "off", "rules", List.of(Map.of("type", "user", "value", "u1",
                        "split",
                        List.of(Map.of("variant", "on", "weight", 1), Map.of("variant", "off", "weight", 1))))));
        Map<String, Object> document = Api.viewer().get("/api/admin/flags/configuration").then().statusCode(200)
                .extract().as(Map.class);
        @SuppressWarnings("unchecked")
        Map<String, Object> flag = (Map<String, Object>) ((Map<String, Object>) document.get("flags")).get(theme);
        assertEquals("object", flag.get("type"));
        document.put("reason", "round trip");
        Api.admin().queryParam("dryRun", true).body(document).put("/api/admin/flags/configuration").then()
                .statusCode(200).body("updated", equalTo(List.of())).body("created", equalTo(List.of()))
                .body("unchanged", hasItem(theme));
    }
}
