package io.rollgate.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.rollgate.support.Api;
import io.rollgate.support.Management;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Every change made through the admin API says why, or is refused before anything happens: the test walks the
 * served OpenAPI document, so a write added later without a reason fails here. The operations left out are
 * not changes an operator makes: evaluation, the event and canary traffic that services report, and the
 * catalog reload and cache clears, which drop copies and change no data.
 */
@QuarkusTest
class EveryWriteNeedsAReasonTest {

    private static final Set<String> NOT_AN_OPERATOR_CHANGE = Set.of(
            "POST /api/flags/{name}/evaluate",
            "POST /ofrep/v1/evaluate/flags",
            "POST /ofrep/v1/evaluate/flags/{key}",
            "POST /api/rollout-events",
            "POST /api/canary/{service}/requests",
            "POST /api/admin/catalog/reload",
            "DELETE /api/admin/cache",
            "DELETE /api/admin/cache/customers/{customerId}",
            "DELETE /api/admin/cache/organizations/{organizationId}");

    private static final Set<String> WRITES = Set.of("post", "put", "patch", "delete");

    @Test
    void everyWriteOfTheApiDocumentRefusesAMissingOrOverlongReason() {
        JsonPath document = Management.given().accept("application/json").get("/q/openapi").then().statusCode(200)
                .extract().jsonPath();
        Map<String, Map<String, Object>> paths = document.getMap("paths");
        List<String> checked = new ArrayList<>();
        List<String> exempt = new ArrayList<>();
        paths.forEach((path, methods) -> methods.forEach((method, operation) -> {
            if (!WRITES.contains(method)) {
                return;
            }
            String name = method.toUpperCase(Locale.ROOT) + " " + path;
            if (NOT_AN_OPERATOR_CHANGE.contains(name)) {
                exempt.add(name);
                return;
            }
            boolean inBody = declaresReason(document, name, (Map<?, ?>) operation);
            assertRefused(name, send(method, path, inBody, null));
            assertRefused(name, send(method, path, inBody, "   "));
            assertRefused(name, send(method, path, inBody, "x".repeat(Reasons.MAX_LENGTH + 1)));
            checked.add(name);
        }));
        assertEquals(NOT_AN_OPERATOR_CHANGE.size(), exempt.size(),
                "every exemption names an operation the document still has: " + exempt);
        assertTrue(checked.size() >= 25, "the admin API's writes were found: " + checked);
    }

    /** The document says where the reason goes and that it is required; true when it is in the body. */
    private static boolean declaresReason(JsonPath document, String name, Map<?, ?> operation) {
        if (operation.get("requestBody") != null) {
            String ref = document.getString(pointer(name) + ".content.'application/json'.schema.$ref");
            assertTrue(ref != null, name + " declares its request body schema");
            String schema = "components.schemas." + ref.substring(ref.lastIndexOf('/') + 1);
            assertTrue(document.getMap(schema + ".properties.reason") != null, name + " has a reason in " + schema);
            assertEquals(Reasons.MAX_LENGTH, document.getInt(schema + ".properties.reason.maxLength"), name);
            if (!name.equals("PUT /api/admin/flags/configuration")) {
                // the configuration document doubles as the export and the dry run, where no reason is needed
                assertTrue(document.getList(schema + ".required", String.class).contains("reason"),
                        name + " marks the reason required");
            }
            return true;
        }
        List<Map<String, Object>> parameters = (List<Map<String, Object>>) operation.get("parameters");
        assertTrue(parameters != null && parameters.stream().anyMatch(
                p -> "reason".equals(p.get("name")) && "query".equals(p.get("in")) && Boolean.TRUE.equals(
                        p.get("required"))),
                name + " declares a required reason query parameter");
        return false;
    }

    private static String pointer(String name) {
        String[] parts = name.split(" ", 2);
        return "paths.'" + parts[1] + "'." + parts[0].toLowerCase(Locale.ROOT) + ".requestBody";
    }

    private static Response send(String method, String path, boolean inBody, String reason) {
        String concrete = path.replace("{name}", "no.such.flag").replace("{featureName}", "no_such_rollout")
                .replace("{service}", "no-such-service").replace("{customerId}", "customer-1")
                .replace("{organizationId}", "org-1").replace("{key}", "no-such-segment")
                .replace("{id}", "6f1c2d6e-8d4b-4a39-9b8a-2b1e4f0d9c11");
        RequestSpecification request = Api.admin();
        if (inBody) {
            request = request.body(reason == null ? Map.of() : Map.of("reason", reason));
        } else if (reason != null) {
            request = request.queryParam("reason", reason);
        }
        return request.request(method.toUpperCase(Locale.ROOT), concrete);
    }

    private static void assertRefused(String name, Response response) {
        assertEquals(400, response.statusCode(), name + ": " + response.asString());
        assertEquals(Api.PROBLEM_JSON, response.contentType().split(";", 2)[0], name);
        List<String> fields = response.jsonPath().getList("errors.field", String.class);
        assertTrue(fields != null && fields.contains("reason"), name + " names the reason: " + response.asString());
    }
}
