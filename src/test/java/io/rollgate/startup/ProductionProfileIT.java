package io.rollgate.startup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rollgate.support.Local;
import io.rollgate.support.PackagedService;
import java.io.File;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The packaged service as production runs it (the prod profile, no test settings): JSON log lines a log
 * pipeline can read, each request's correlation id in the lines it causes, no secret in any line, and the
 * operations endpoints only on the management port, with the API document and Swagger UI off by default; on one CPU,
 * one event loop.
 */
class ProductionProfileIT {

    private static final int PORT = 8097;
    private static final int MANAGEMENT_PORT = 9097;

    @Test
    void logsJsonLinesWithTheRequestsCorrelationIdAndKeepsOperationsEndpointsOffThePublicPort() throws Exception {
        File log = new File("target/production-profile.log");
        String token = "prod-" + UUID.randomUUID() + UUID.randomUUID();
        // one CPU, as a pod of the Deployment has: Quarkus alone would start two event loops on it
        ProcessBuilder builder = new ProcessBuilder(PackagedService.command("-XX:ActiveProcessorCount=1",
                "-Dquarkus.http.port=" + PORT,
                "-Dquarkus.management.port=" + MANAGEMENT_PORT, "-Dquarkus.shutdown.delay=0s"))
                .redirectErrorStream(true).redirectOutput(log);
        builder.environment().put("ROLLGATE_SECURITY_ADMIN_TOKEN", token);
        builder.environment().put("QUARKUS_DATASOURCE_REACTIVE_URL", "postgresql://127.0.0.1:5432/rollgate_test");
        builder.environment().put("QUARKUS_DATASOURCE_JDBC_URL", "jdbc:postgresql://127.0.0.1:5432/rollgate_test");
        Process service = builder.start();
        String requestId = "prod-check-" + UUID.randomUUID();
        String customer = "prod-log-" + UUID.randomUUID();
        try {
            Local.awaitReady(service, MANAGEMENT_PORT);
            for (String path : List.of("/q/metrics", "/q/health/ready", "/q/openapi", "/q/swagger-ui/")) {
                assertEquals(404, Local.status(PORT, path), path + " on the serving port");
            }
            HttpResponse<String> metrics = Local.HTTP.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + MANAGEMENT_PORT + "/q/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, metrics.statusCode());
            assertTrue(metrics.body().contains("netty_eventexecutor_workers{executor=\"eventLoop\"} 1.0"),
                    "one event loop for the one CPU");
            assertEquals(404, Local.status(MANAGEMENT_PORT, "/q/openapi"), "the API document is off unless enabled");
            assertEquals(404, Local.status(MANAGEMENT_PORT, "/q/swagger-ui/"), "Swagger UI is off unless enabled");

            HttpResponse<String> changed = Local.HTTP.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + PORT + "/api/admin/customers/" + customer + "/flags"))
                    .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                    .header("X-Request-Id", requestId)
                    .PUT(HttpRequest.BodyPublishers.ofString("{\"flags\": {\"sessionPersistence\": {\"phase2\": "
                            + "{\"enhancedStorage\": true}}}, \"reason\": \"production log check\"}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, changed.statusCode(), changed.body());
            assertEquals(requestId, changed.headers().firstValue("X-Request-Id").orElse(null));
        } finally {
            service.destroy();
            assertTrue(service.waitFor(30, TimeUnit.SECONDS));
        }

        ObjectMapper json = new ObjectMapper();
        List<JsonNode> lines = new ArrayList<>();
        for (String line : Files.readAllLines(log.toPath())) {
            if (!line.isBlank()) {
                lines.add(json.readTree(line)); // fails on any line that is not one JSON object
            }
        }
        assertTrue(lines.size() > 3, "lines: " + lines.size());
        List<JsonNode> ours = lines.stream()
                .filter(line -> requestId.equals(line.at("/mdc/correlationId").asText(null))).toList();
        assertTrue(ours.stream().anyMatch(line -> line.get("message").asText().contains(customer)),
                "the change's log line carries the request's correlation id: " + ours);
        assertTrue(ours.stream().allMatch(line -> line.has("level") && line.has("timestamp")));
        assertFalse(Files.readString(log.toPath()).contains(token), "the admin token is never logged");
        // the warm-up's requests all come from loopback, past the per-client rate limit production applies
        JsonNode warmed = lines.stream().filter(line -> line.get("message").asText().startsWith("Warmed up:"))
                .findFirst().orElseThrow(() -> new AssertionError("no warm-up before ready"));
        // it says why it stopped: the JIT settled, or the bound was reached on a machine too busy to settle
        Matcher counts = Pattern.compile("Warmed up: (\\d+) .*\\((\\d+) failed\\); (the JIT settled|the time was up)")
                .matcher(warmed.get("message").asText());
        assertTrue(counts.find() && Integer.parseInt(counts.group(1)) > 200 && counts.group(2).equals("0"),
                warmed.get("message").asText());
        // and it rehearsed a change, rolled back, and that change's fan-out to streams it opened to itself
        Matcher rehearsed = Pattern.compile("(\\d+) changes rehearsed \\(the last: a kill switch of \\S+ rehearsed "
                + "and rolled back in \\d+ ms\\); (\\d+) fan-outs to \\d+ streams rehearsed")
                .matcher(warmed.get("message").asText());
        assertTrue(rehearsed.find() && Integer.parseInt(rehearsed.group(1)) > 0
                && Integer.parseInt(rehearsed.group(2)) > 0, warmed.get("message").asText());
    }

}
