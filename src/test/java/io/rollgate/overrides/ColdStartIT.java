package io.rollgate.overrides;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rollgate.support.Local;
import io.rollgate.support.TestDatabase;
import java.io.File;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A replica added under load: it loads override documents in bulk before it reports ready, so its first answers
 * come from memory, and the documents it still has to read (new customers) go out batched, not one query each.
 */
class ColdStartIT {

    private static final int PORT = 8098;
    private static final int MANAGEMENT_PORT = 9098;
    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    private static final int PRELOADED = 200;
    private static Process service;

    @BeforeAll
    static void startAReplicaOverStoredDocuments() throws Exception {
        TestDatabase.directUrl = "jdbc:postgresql://127.0.0.1:5432/rollgate_test";
        TestDatabase.update("INSERT INTO customer_feature_flags (customer_id, flags, updated_by) "
                + "SELECT 'cold-" + RUN
                + "-' || c, '{\"sessionPersistence\": {\"phase2\": {\"enhancedStorage\": true}}}',"
                + " 'cold start test' FROM generate_series(1, " + PRELOADED + ") AS c");
        File jar = new File("target/quarkus-app/quarkus-run.jar");
        assertTrue(jar.exists(), "the packaged service is needed: run this through mvn verify");
        service = new ProcessBuilder(System.getProperty("java.home") + "/bin/java", "-Dquarkus.profile=test",
                "-Dquarkus.http.port=" + PORT, "-Dquarkus.management.port=" + MANAGEMENT_PORT,
                "-Dquarkus.log.file.enabled=false", "-Drollgate.startup.warm-up=2s", "-jar", jar.getPath())
                .redirectErrorStream(true).redirectOutput(new File("target/cold-start.log")).start();
        Local.awaitReady(service, MANAGEMENT_PORT);
    }

    @AfterAll
    static void stop() throws Exception {
        if (service != null) {
            service.destroy();
            service.waitFor(30, TimeUnit.SECONDS);
        }
        TestDatabase.update("DELETE FROM customer_feature_flags WHERE customer_id LIKE 'cold-" + RUN + "-%'");
        TestDatabase.directUrl = null;
    }

    @Test
    void storedDocumentsAreInMemoryBeforeReadyAndNewCustomersAreReadInBatches() throws Exception {
        String log = Files.readString(Path.of("target/cold-start.log"));
        Matcher loaded = Pattern.compile("Override documents loaded: (\\d+)").matcher(log);
        assertTrue(loaded.find(), log);
        assertTrue(Integer.parseInt(loaded.group(1)) >= PRELOADED, loaded.group());
        // and it warmed its hot path over HTTP before it reported ready
        Matcher warmed = Pattern.compile("Warmed up: (\\d+) widget config requests in \\d+ ms \\((\\d+) failed\\)")
                .matcher(log);
        assertTrue(warmed.find(), log);
        assertTrue(Integer.parseInt(warmed.group(1)) > 100, warmed.group());
        assertEquals("0", warmed.group(2), warmed.group());

        double reads = metric("rollgate_override_reads_total");
        double loads = metric("rollgate_override_loads_total");
        for (int c = 1; c <= PRELOADED; c += 10) {
            assertTrue(config("cold-" + RUN + "-" + c).contains("\"enhancedStorage\":true"));
        }
        assertEquals(reads, metric("rollgate_override_reads_total"), "preloaded documents are not read again");
        assertEquals(loads, metric("rollgate_override_loads_total"));

        // a burst of customers it has never seen: every one answered, with far fewer queries than customers
        ExecutorService clients = Executors.newFixedThreadPool(32);
        try {
            List<CompletableFuture<String>> burst = new ArrayList<>();
            for (int c = 0; c < 200; c++) {
                String customer = "cold-new-" + RUN + "-" + c;
                burst.add(CompletableFuture.supplyAsync(() -> config(customer), clients));
            }
            for (CompletableFuture<String> answer : burst) {
                assertTrue(answer.get(30, TimeUnit.SECONDS).contains("\"enhancedStorage\":false"));
            }
        } finally {
            clients.shutdownNow();
        }
        double loaded200 = metric("rollgate_override_loads_total") - loads;
        double queries = metric("rollgate_override_reads_total") - reads;
        System.out.printf("200 new customers: %.0f documents loaded with %.0f queries%n", loaded200, queries);
        assertTrue(loaded200 >= 200, "every new customer's document was looked up: " + loaded200);
        assertTrue(queries < loaded200 / 2, "misses of the same moment share a query: " + queries);
    }

    private static String config(String customer) {
        try {
            HttpResponse<String> answer = Local.HTTP.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + PORT + "/api/widget/config?customerId=" + customer))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, answer.statusCode(), answer.body());
            return answer.body();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static double metric(String name) throws Exception {
        String text = Local.HTTP.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + MANAGEMENT_PORT + "/q/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        Matcher m = Pattern.compile("(?m)^" + name + "(\\{[^}]*\\})?\\s+(\\S+)$").matcher(text);
        return m.find() ? Double.parseDouble(m.group(2)) : 0;
    }
}
