package io.rollgate.overrides;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rollgate.support.Api;
import io.rollgate.support.Await;
import io.rollgate.support.Local;
import io.rollgate.support.PackagedService;
import io.rollgate.support.TestDatabase;
import java.io.File;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
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
 * come from memory. When every document fit its bound, a customer without one costs no read at all; when they
 * did not, the documents it still has to read (new customers) go out batched, not one query each.
 */
class ColdStartIT {

    private static final int PORT = 8098;
    private static final int MANAGEMENT_PORT = 9098;
    /** A replica whose bound is below the stored documents. */
    private static final int BOUNDED_PORT = 8097;
    private static final int BOUNDED_MANAGEMENT_PORT = 9097;
    /** A replica started while a test holds its catalog read back. */
    private static final int LATE_PORT = 8096;
    private static final int LATE_MANAGEMENT_PORT = 9096;
    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    private static final int PRELOADED = 200;
    private static Process service;
    private static Process bounded;

    @BeforeAll
    static void startReplicasOverStoredDocuments() throws Exception {
        TestDatabase.directUrl = "jdbc:postgresql://127.0.0.1:5432/rollgate_test";
        TestDatabase.update("INSERT INTO customer_feature_flags (customer_id, flags, updated_by) "
                + "SELECT 'cold-" + RUN
                + "-' || c, '{\"sessionPersistence\": {\"phase2\": {\"enhancedStorage\": true}}}',"
                + " 'cold start test' FROM generate_series(1, " + PRELOADED + ") AS c");
        // one after the other: each warms up with the machine to itself
        service = start(PORT, MANAGEMENT_PORT, "cold-start.log", "-Drollgate.overrides.preload=100000");
        Local.awaitReady(service, MANAGEMENT_PORT);
        // a read slowed past its timeout by a busy machine would be answered from last known good, not counted
        bounded = start(BOUNDED_PORT, BOUNDED_MANAGEMENT_PORT, "cold-start-bounded.log",
                "-Drollgate.overrides.preload=" + PRELOADED / 4, "-Drollgate.database.read-timeout=10s",
                "-Drollgate.startup.rehearse-changes=false");
        Local.awaitReady(bounded, BOUNDED_MANAGEMENT_PORT);
    }

    private static Process start(int port, int managementPort, String log, String... options) throws Exception {
        List<String> settings = new ArrayList<>(List.of("-Dquarkus.profile=test", "-Dquarkus.http.port=" + port,
                "-Dquarkus.management.port=" + managementPort, "-Dquarkus.log.file.enabled=false",
                "-Drollgate.startup.warm-up=2s"));
        settings.addAll(List.of(options));
        return new ProcessBuilder(PackagedService.command(settings)).redirectErrorStream(true)
                .redirectOutput(new File("target/" + log)).start();
    }

    @AfterAll
    static void stop() throws Exception {
        for (Process replica : new Process[]{ service, bounded }) {
            if (replica != null) {
                replica.destroy();
                replica.waitFor(30, TimeUnit.SECONDS);
            }
        }
        TestDatabase.update("DELETE FROM customer_feature_flags WHERE customer_id LIKE 'cold-" + RUN + "-%'");
        TestDatabase.directUrl = null;
    }

    @Test
    void storedDocumentsAreInMemoryBeforeReadyAndCustomersWithoutOneCostNoRead() throws Exception {
        String log = Files.readString(Path.of("target/cold-start.log"));
        Matcher loaded = Pattern.compile("Override documents loaded: (\\d+).*customers (yes|no)").matcher(log);
        assertTrue(loaded.find(), log);
        assertTrue(Integer.parseInt(loaded.group(1)) >= PRELOADED, loaded.group());
        assertEquals("yes", loaded.group(2), loaded.group());
        // and it warmed its hot path over HTTP before it reported ready
        Matcher warmed = Pattern.compile("Warmed up: (\\d+) widget config requests in \\d+ ms \\((\\d+) failed\\)")
                .matcher(log);
        assertTrue(warmed.find(), log);
        // how many depends on the machine; that it ran, and nothing failed, does not
        assertTrue(Integer.parseInt(warmed.group(1)) > 0, warmed.group());
        assertEquals("0", warmed.group(2), warmed.group());

        double reads = metric(MANAGEMENT_PORT, "rollgate_override_reads_total");
        double loads = metric(MANAGEMENT_PORT, "rollgate_override_loads_total");
        for (int c = 1; c <= PRELOADED; c += 10) {
            assertTrue(config(PORT, "cold-" + RUN + "-" + c).contains("\"enhancedStorage\":true"));
        }
        // every document is in memory: customers it has never seen have none, and are answered without a read
        for (String answer : burst(PORT, "cold-none-")) {
            assertTrue(answer.contains("\"enhancedStorage\":false"), answer);
        }
        assertEquals(reads, metric(MANAGEMENT_PORT, "rollgate_override_reads_total"), "no document was read");
        assertEquals(loads, metric(MANAGEMENT_PORT, "rollgate_override_loads_total"));

        // a document written afterwards (in SQL, as a runbook would) is read when the change is heard, not assumed absent
        String late = "cold-late-" + RUN;
        TestDatabase.update("INSERT INTO customer_feature_flags (customer_id, flags, updated_by) VALUES (?, "
                + "'{\"sessionPersistence\": {\"phase2\": {\"enhancedStorage\": true}}}', 'cold start test')", late);
        Await.until(Duration.ofSeconds(5), () -> config(PORT, late).contains("\"enhancedStorage\":true"),
                "the late document served");
        TestDatabase.update("DELETE FROM customer_feature_flags WHERE customer_id = ?", late);
    }

    @Test
    void aBulkLoadedDocumentIsServedAsStoredWhenItChangesOrIsCleared() throws Exception {
        // held by the replica that loaded every document; the bounded one may hold it or read it
        String customer = "cold-" + RUN + "-" + (PRELOADED - 4);
        for (int port : new int[]{ PORT, BOUNDED_PORT }) {
            assertTrue(config(port, customer).contains("\"enhancedStorage\":true"), "served from the bulk load");
        }
        String stats = admin("/api/admin/cache?maxKeys=10000", PORT, "GET");
        assertTrue(stats.contains("\"customer:" + customer + "\""), "a held document is among the keys: " + stats);
        // changed in SQL, as a runbook would: both replicas drop the held document when they hear the change
        TestDatabase.update("UPDATE customer_feature_flags SET flags = "
                + "'{\"sessionPersistence\": {\"phase2\": {\"enhancedStorage\": false}}}' WHERE customer_id = ?",
                customer);
        for (int port : new int[]{ PORT, BOUNDED_PORT }) {
            Await.until(Duration.ofSeconds(5), () -> config(port, customer).contains("\"enhancedStorage\":false"),
                    "the changed document served on " + port);
        }
        // cleared by an operator, a held document is read again, not served from the bulk load
        String other = "cold-" + RUN + "-" + (PRELOADED - 5);
        double loads = metric(MANAGEMENT_PORT, "rollgate_override_loads_total");
        admin("/api/admin/cache/customers/" + other, PORT, "DELETE");
        assertTrue(config(PORT, other).contains("\"enhancedStorage\":true"), "still the stored document");
        assertEquals(loads + 1, metric(MANAGEMENT_PORT, "rollgate_override_loads_total"), "read once after the clear");
    }

    private static String admin(String path, int port, String method) throws Exception {
        HttpResponse<String> answer = Local.HTTP.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + path)).method(method, HttpRequest.BodyPublishers.noBody())
                .header("Authorization", "Bearer " + Api.ADMIN_TOKEN).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, answer.statusCode(), answer.body());
        return answer.body();
    }

    @Test
    void aDocumentChangedBetweenTheBulkLoadAndTheCatalogReadIsServedChanged() throws Exception {
        String customer = "cold-" + RUN + "-" + (PRELOADED - 7);
        Path log = Path.of("target/cold-start-late.log");
        Files.deleteIfExists(log);
        Process late;
        // the new replica's catalog read waits behind this lock (and is allowed to), so the document can change after
        // the replica has read every document and before its first catalog snapshot sets where its change feed starts
        try (Connection lock = TestDatabase.holding("LOCK TABLE feature_flags IN ACCESS EXCLUSIVE MODE")) {
            late = start(LATE_PORT, LATE_MANAGEMENT_PORT, "cold-start-late.log", "-Drollgate.overrides.preload=100000",
                    "-Drollgate.database.lock-timeout=30s");
            Await.until(Duration.ofSeconds(60), () -> read(log).contains("Override documents loaded"),
                    "the new replica's bulk load");
            TestDatabase.update("UPDATE customer_feature_flags SET flags = "
                    + "'{\"sessionPersistence\": {\"phase2\": {\"enhancedStorage\": false}}}' WHERE customer_id = ?",
                    customer);
            lock.rollback();
        }
        try {
            Local.awaitReady(late, LATE_MANAGEMENT_PORT);
            String started = read(log);
            // one bulk load, from which it became ready: a retried start-up would have read the change anyway
            assertEquals(1, started.split("Override documents loaded", -1).length - 1, started);
            assertTrue(started.contains("every document in memory: customers yes"), started);
            Await.until(Duration.ofSeconds(5), () -> config(LATE_PORT, customer).contains("\"enhancedStorage\":false"),
                    "the document as changed during the start-up, served by the new replica");
        } finally {
            late.destroy();
            late.waitFor(30, TimeUnit.SECONDS);
        }
    }

    private static String read(Path log) {
        try {
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void aReplicaWhoseDocumentsExceedItsBoundReadsNewCustomersInBatches() throws Exception {
        String log = Files.readString(Path.of("target/cold-start-bounded.log"));
        assertTrue(log.contains("every document in memory: customers no"), log);
        double reads = metric(BOUNDED_MANAGEMENT_PORT, "rollgate_override_reads_total");
        double loads = metric(BOUNDED_MANAGEMENT_PORT, "rollgate_override_loads_total");
        // a burst of customers it has never seen: every one answered, with far fewer queries than customers
        for (String answer : burst(BOUNDED_PORT, "cold-new-")) {
            assertTrue(answer.contains("\"enhancedStorage\":false"), answer);
        }
        assertEquals(0, metric(BOUNDED_MANAGEMENT_PORT, "rollgate_override_fallbacks_total"), "every answer was read");
        double loaded200 = metric(BOUNDED_MANAGEMENT_PORT, "rollgate_override_loads_total") - loads;
        double queries = metric(BOUNDED_MANAGEMENT_PORT, "rollgate_override_reads_total") - reads;
        System.out.printf("200 new customers: %.0f documents loaded with %.0f queries%n", loaded200, queries);
        assertTrue(loaded200 >= 200, "every new customer's document was looked up: " + loaded200);
        assertTrue(queries < loaded200 / 2, "misses of the same moment share a query: " + queries);
    }

    @Test
    void theWarmUpRehearsesAChangeUnlessToldNot() throws Exception {
        assertTrue(Pattern
                .compile("[1-9]\\d* changes rehearsed \\(the last: a kill switch of \\S+ rehearsed and rolled back")
                .matcher(Files.readString(Path.of("target/cold-start.log"))).find());
        String bounded = Files.readString(Path.of("target/cold-start-bounded.log"));
        assertTrue(bounded.contains("0 changes rehearsed (the last: no change rehearsed "
                + "(rollgate.startup.rehearse-changes)); no fan-out rehearsed"), bounded);
    }

    @Test
    void theWarmUpLeavesNoneOfItsMadeUpCustomersInMemory() throws Exception {
        // over its bound, the replica read the (empty) documents of the customers its warm-up made up, as it reads
        // any customer's; they are dropped when the warm-up ends, before the replica reports ready
        String stats = admin("/api/admin/cache?maxKeys=10000", BOUNDED_PORT, "GET");
        assertTrue(stats.contains("\"keys\":[\"customer:"), stats);
        assertFalse(stats.contains("rollgate-warm-up-"), stats);
    }

    /** 200 customers never seen before, asked for at once by 32 clients. */
    private static List<String> burst(int port, String prefix) throws Exception {
        ExecutorService clients = Executors.newFixedThreadPool(32);
        try {
            List<CompletableFuture<String>> burst = new ArrayList<>();
            for (int c = 0; c < 200; c++) {
                String customer = prefix + RUN + "-" + c;
                burst.add(CompletableFuture.supplyAsync(() -> config(port, customer), clients));
            }
            List<String> answers = new ArrayList<>();
            for (CompletableFuture<String> answer : burst) {
                answers.add(answer.get(30, TimeUnit.SECONDS));
            }
            return answers;
        } finally {
            clients.shutdownNow();
        }
    }

    private static String config(int port, String customer) {
        try {
            HttpResponse<String> answer = Local.HTTP.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/api/widget/config?customerId=" + customer))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, answer.statusCode(), answer.body());
            return answer.body();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static double metric(int managementPort, String name) throws Exception {
        String text = Local.HTTP.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + managementPort + "/q/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        Matcher m = Pattern.compile("(?m)^" + name + "(\\{[^}]*\\})?\\s+(\\S+)$").matcher(text);
        return m.find() ? Double.parseDouble(m.group(2)) : 0;
    }
}
