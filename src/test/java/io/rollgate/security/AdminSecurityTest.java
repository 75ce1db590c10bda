package io.rollgate.security;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.rollgate.support.Api;
import io.rollgate.support.Await;
import io.rollgate.support.Management;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every admin operation, as the OpenAPI document lists it with the roles its description declares, is
 * tried with a token of every role: declared roles get through, others get 403, no token or a bad one
 * 401. An endpoint added without declared roles, or with roles that differ from its annotation, fails.
 */
@QuarkusTest
class AdminSecurityTest {

    private static final Pattern ROLES = Pattern.compile("Roles: ([a-z, -]+?)[.(]");
    private static final List<String> ALL_ROLES = List.of(Roles.ADMIN, Roles.OPERATOR, Roles.VIEWER, Roles.INGEST,
            Roles.EVALUATION, Roles.ORGANIZATION_OPERATOR);

    record Operation(String method, String path, Set<String> roles) {
        String concretePath() {
            return path.replaceAll("\\{[^}]+}", "probe-id");
        }
    }

    static List<Operation> adminOperations() {
        JsonPath openapi = Management.given().accept("application/json").get("/q/openapi").then().statusCode(200)
                .extract().jsonPath();
        Map<String, Map<String, Map<String, Object>>> paths = openapi.getMap("paths");
        List<Operation> operations = new ArrayList<>();
        paths.forEach((path, methods) -> {
            if (path.startsWith("/api/admin")) {
                methods.forEach((method, operation) -> {
                    String description = String.valueOf(operation.get("description"));
                    Matcher matcher = ROLES.matcher(description);
                    assertTrue(matcher.find(), method + " " + path + " declares no roles: " + description);
                    Set<String> roles = Set.of(matcher.group(1).replace(" ", "").split(","));
                    operations.add(new Operation(method.toUpperCase(Locale.ROOT), path, roles));
                });
            }
        });
        return operations;
    }

    /** A token of each role: the configured ones, and managed ones for the roles configuration lacks. */
    static Map<String, String> tokensByRole() {
        Map<String, String> tokens = new LinkedHashMap<>();
        tokens.put(Roles.ADMIN, Api.ADMIN_TOKEN);
        tokens.put(Roles.VIEWER, Api.VIEWER_TOKEN);
        tokens.put(Roles.INGEST, Api.INGEST_TOKEN);
        for (String role : List.of(Roles.OPERATOR, Roles.EVALUATION, Roles.ORGANIZATION_OPERATOR)) {
            Map<String, Object> body = new LinkedHashMap<>(
                    Map.of("name", "security-test " + role, "role", role, "reason", "test"));
            if (role.equals(Roles.ORGANIZATION_OPERATOR)) {
                body.put("organizationId", "some-other-org");
            }
            tokens.put(role, Api.admin().body(body).post("/api/admin/tokens").then().statusCode(201)
                    .extract().path("token"));
        }
        return tokens;
    }

    @Test
    void theOpenApiDocumentListsTheAdminApiWithRoles() {
        List<Operation> operations = adminOperations();
        assertTrue(operations.contains(new Operation("POST", "/api/admin/feature-flags",
                Set.of(Roles.ADMIN, Roles.OPERATOR))), operations.toString());
        assertTrue(operations.stream().anyMatch(o -> o.path().equals("/api/admin/tokens")
                && o.roles().equals(Set.of(Roles.ADMIN))));
        assertTrue(operations.size() >= 40, operations.size() + " operations");
    }

    @Test
    void everyAdminOperationRefusesAMissingWrongRevokedOrExpiredToken() throws Exception {
        Map<String, Object> revoked = Api.admin()
                .body(Map.of("reason", "test", "name", "security-test revoked", "role", "admin"))
                .post("/api/admin/tokens").then().statusCode(201).extract().as(Map.class);
        Api.admin().queryParam("reason", "test cleanup").delete("/api/admin/tokens/{id}", revoked.get("id")).then()
                .statusCode(204);
        String expired = Api.admin().body(Map.of("reason", "test", "name", "security-test expired", "role", "admin",
                "expiresAt", java.time.OffsetDateTime.now(java.time.ZoneOffset.UTC).plusSeconds(1).toString()))
                .post("/api/admin/tokens").then().statusCode(201).extract().path("token");
        Await.until(Duration.ofSeconds(10), Duration.ofMillis(100),
                () -> Api.as(expired).get("/api/admin/feature-flags").statusCode() == 401, "the token expired");
        for (Operation operation : adminOperations()) {
            for (String token : List.of((String) revoked.get("token"), expired)) {
                Api.as(token).body("{}").request(operation.method(), operation.concretePath())
                        .then().statusCode(401).contentType(Api.PROBLEM_JSON);
            }
            given().contentType("application/json").body("{}")
                    .request(operation.method(), operation.concretePath())
                    .then().statusCode(401).contentType(Api.PROBLEM_JSON)
                    .header("WWW-Authenticate", containsString("Bearer"))
                    .body("status", equalTo(401));
            Api.as("not-a-real-token").body("{}").request(operation.method(), operation.concretePath())
                    .then().statusCode(401).contentType(Api.PROBLEM_JSON);
            given().header("Authorization", "Basic YWRtaW46YWRtaW4=").contentType("application/json").body("{}")
                    .request(operation.method(), operation.concretePath())
                    .then().statusCode(401);
        }
    }

    @Test
    void everyRoleGetsExactlyWhatItsOperationsDeclare() {
        Map<String, String> tokens = tokensByRole();
        for (Operation operation : adminOperations()) {
            for (String role : ALL_ROLES) {
                int status = Api.as(tokens.get(role)).body("{}").request(operation.method(), operation.concretePath())
                        .statusCode();
                String what = role + " on " + operation.method() + " " + operation.path() + " gave " + status;
                if (operation.roles().contains(role)) {
                    assertTrue(status != 401 && status != 403, what);
                } else {
                    assertTrue(status == 403, what);
                }
            }
        }
    }

    @Test
    void theWidgetConfigIsPublic() {
        given().get("/api/widget/config").then().statusCode(200);
    }

    @Test
    void aWrongTokenIsAnsweredOnceAndLogsNoError() throws Exception {
        String refused = java.util.UUID.randomUUID().toString();
        Api.as("not-a-real-token").header("X-Request-Id", refused).body("{}").post("/api/admin/feature-flags").then()
                .statusCode(401).contentType(Api.PROBLEM_JSON).body("correlationId", equalTo(refused));
        Api.as("not-a-real-token").header("X-Request-Id", refused).get("/api/admin/flags").then().statusCode(401);
        // a change logged after the refusals: once its line is in the log, so is anything the refusals logged
        String marker = java.util.UUID.randomUUID().toString();
        String customer = io.rollgate.support.TestIds.customer();
        Api.admin().header("X-Request-Id", marker)
                .body(io.rollgate.support.Overrides.body(io.rollgate.support.Overrides.phase2("enhancedStorage", true),
                        "log marker"))
                .put("/api/admin/customers/{id}/flags", customer).then().statusCode(200);
        java.nio.file.Path log = java.nio.file.Path.of("target/rollgate-test.log");
        Await.until(Duration.ofSeconds(5), () -> read(log).contains("[" + marker + "]"), "the marker's log line");
        List<String> errors = read(log).lines().filter(line -> line.contains("[" + refused + "]"))
                .filter(line -> line.contains(" ERROR ") || line.contains("already been written")).toList();
        assertEquals(List.of(), errors, "a refused token is answered by the problem mappers alone");
    }

    private static String read(java.nio.file.Path log) {
        try {
            return java.nio.file.Files.readString(log);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void errorsNeverEchoTheToken() {
        String secret = "sk-should-never-be-echoed-123456";
        String response = Api.as(secret).get("/api/admin/feature-flags").then().statusCode(401).extract().asString();
        assertFalse(response.contains(secret), response);
    }
}
