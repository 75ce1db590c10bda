package io.rollgate.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.rollgate.overrides.OverrideCache;
import io.rollgate.overrides.Scope;
import io.rollgate.support.Api;
import io.rollgate.support.Await;
import io.rollgate.support.Metrics;
import io.rollgate.support.TestDatabase;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * A runbook's UPDATE of a hundred thousand override documents, with a thousand widget streams open on them: the
 * database sends one notice for the transaction, the replica applies it as one change, each stream gets one event
 * with its new configuration, and the documents the streams need again are read in batches.
 */
@QuarkusTest
@TestProfile(BulkChangeFanOutTest.PatientReads.class)
class BulkChangeFanOutTest {

    @Inject
    OverrideCache cache;

    /**
     * Reads bounded by seconds, not half a second: on a loaded build machine a read could outlast the widget's
     * bound, and its stream would be sent last known good data first; what is counted here is notices, events and
     * queries, not how fast one read answers (DatabaseOutageTest holds what a stream gets when one does not).
     */
    public static class PatientReads implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("rollgate.database.read-timeout", "5s");
        }
    }

    private static final int DOCUMENTS = 100_000;
    private static final int STREAMS = 1_000;
    private static final String ENHANCED_STORAGE = "{sessionPersistence,phase2,enhancedStorage}";

    private final String prefix = "bulk-" + UUID.randomUUID().toString().substring(0, 8) + "-";
    private final List<Stream> streams = new ArrayList<>();

    @AfterEach
    void cleanUp() throws SQLException {
        streams.forEach(Stream::close);
        TestDatabase.update("DELETE FROM customer_feature_flags WHERE customer_id LIKE ?", prefix + "%");
    }

    @Test
    void aRunbookUpdateOfAHundredThousandDocumentsIsOneNoticeAndOneEventPerStream() throws Exception {
        TestDatabase.update("""
                INSERT INTO customer_feature_flags (customer_id, flags, updated_by)
                SELECT ? || i, jsonb_build_object('sessionPersistence', jsonb_build_object('phase2',
                       jsonb_build_object('enhancedStorage', false))), 'bulk test'
                FROM generate_series(1, ?) AS i""", prefix, DOCUMENTS);
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        // opened a hundred at a time, as widgets come and go: this is about the change, not a thousand arriving at once
        for (int i = 1; i <= STREAMS; i++) {
            streams.add(new Stream(http, prefix + i));
            if (i % 100 == 0) {
                Await.until(Duration.ofSeconds(30), () -> streams.stream().allMatch(s -> s.events.size() >= 1),
                        "every stream's first configuration");
            }
        }
        for (Stream stream : streams) {
            String first = stream.events.get(0);
            assertTrue(first.contains("\"enhancedStorage\":false") && first.contains("\"stale\":false"), first);
        }
        double readsBefore = Metrics.value("rollgate_override_reads_total", "");
        double loadsBefore = Metrics.value("rollgate_override_loads_total", "");

        List<PGNotification> notices = new ArrayList<>();
        try (Connection listening = TestDatabase.connect()) {
            try (Statement listen = listening.createStatement()) {
                listen.execute("LISTEN rollgate_changes");
            }
            long runbook = runbook("UPDATE customer_feature_flags SET flags = jsonb_set(flags, '" + ENHANCED_STORAGE
                    + "', 'true') WHERE customer_id LIKE '" + prefix + "%'");
            Await.until(Duration.ofSeconds(60), () -> streams.stream().allMatch(s -> s.events.size() >= 2),
                    "every stream's configuration after the runbook");
            // a last change to every one of them: whatever the runbook's change sent has arrived before its event
            long after = runbook("UPDATE customer_feature_flags SET flags = jsonb_set(flags, '" + ENHANCED_STORAGE
                    + "', 'false') WHERE customer_id LIKE '" + prefix + "%'");
            Await.until(Duration.ofSeconds(60), () -> streams.stream().allMatch(s -> s.events.size() >= 3),
                    "every stream's configuration after the second runbook");
            // notices arrive in commit order: once the second's is here, every one of the first's is
            while (notices.stream().noneMatch(notice -> revision(notice) == after)) {
                PGNotification[] arrived = listening.unwrap(PGConnection.class).getNotifications(10_000);
                assertTrue(arrived != null && arrived.length > 0, "the second runbook's notice");
                notices.addAll(List.of(arrived));
            }
            List<PGNotification> runbooks = notices.stream().filter(n -> revision(n) == runbook).toList();
            assertEquals(1, runbooks.size(), "one notice for the runbook's transaction: " + runbooks.size());
            JsonObject notice = new JsonObject(runbooks.get(0).getParameter());
            assertTrue(notice.getBoolean("truncated"), notice.encode());
            assertEquals(DOCUMENTS, notice.getJsonObject("counts").getInteger("customer"), notice.encode());
        }

        for (Stream stream : streams) {
            assertEquals(3, stream.events.size(), stream.customer + ": one event per change, " + stream.events);
            assertTrue(stream.events.get(1).contains("\"enhancedStorage\":true"), stream.events.get(1));
            assertTrue(stream.events.get(2).contains("\"enhancedStorage\":false"), stream.events.get(2));
        }
        double reads = Metrics.value("rollgate_override_reads_total", "") - readsBefore;
        double loads = Metrics.value("rollgate_override_loads_total", "") - loadsBefore;
        // each change has every stream's document read again, a batch at a time, never one query per stream
        assertTrue(loads >= 2 * STREAMS, "documents read again for the streams: " + loads);
        assertTrue(reads <= 2 * STREAMS / 100.0, "queries for them: " + reads + " for " + loads + " documents");
    }

    @Test
    void aChangeHeardWhileAChunksDocumentsAreReadKeepsThemFromBeingInstalled() throws Exception {
        String customer = prefix + "raced";
        AtomicInteger drops = new AtomicInteger();
        cache.onDropped((scope, ids) -> {
            if (scope == Scope.CUSTOMER && ids != null && ids.contains(customer)) {
                drops.incrementAndGet();
            }
        });
        TestDatabase.update("INSERT INTO customer_feature_flags (customer_id, flags, updated_by) VALUES (?, "
                + "'{\"sessionPersistence\": {\"phase2\": {\"enhancedStorage\": true}}}', 'bulk test')", customer);
        Await.until(Duration.ofSeconds(10), () -> drops.get() >= 1, "the new document's change heard");

        // the chunk's read waits on a lock while a change of its document is heard
        CompletableFuture<Void> ahead;
        long started;
        try (Connection locking = TestDatabase.holding(
                "LOCK TABLE customer_feature_flags IN ACCESS EXCLUSIVE MODE")) {
            started = System.nanoTime();
            ahead = cache.readAhead(Scope.CUSTOMER, List.of(customer)).subscribeAsCompletionStage();
            Await.until(Duration.ofSeconds(10), () -> !TestDatabase.query("SELECT 1 FROM pg_stat_activity WHERE "
                    + "wait_event_type = 'Lock' AND query LIKE '%customer_feature_flags%ANY%'").isEmpty(),
                    "the read waiting on the lock");
            Api.admin().delete("/api/admin/cache/customers/{id}", customer).then().statusCode(200);
            Await.until(Duration.ofSeconds(10), () -> drops.get() >= 2, "the change heard");
            locking.rollback();
        }
        ahead.get(10, TimeUnit.SECONDS);
        assertTrue(System.nanoTime() - started < Duration.ofSeconds(5).toNanos(), "the read answered in its time");
        // what it read may be older than the change: it is not installed, the next lookup reads again
        assertNull(cache.peek(Scope.CUSTOMER, customer));

        // unraced, the same read installs the document
        cache.readAhead(Scope.CUSTOMER, List.of(customer)).await().atMost(Duration.ofSeconds(10));
        assertEquals(true, cache.peek(Scope.CUSTOMER, customer).document()
                .get("sessionPersistence.phase2.enhancedStorage"));
    }

    /** Runs {@code sql} in a transaction of its own, as psql would; answers the change revision it took. */
    private static long runbook(String sql) throws SQLException {
        try (Connection session = TestDatabase.connect(); Statement statement = session.createStatement()) {
            session.setAutoCommit(false);
            assertEquals(DOCUMENTS, statement.executeUpdate(sql));
            long revision;
            try (ResultSet row = statement.executeQuery("SELECT revision FROM change_revision")) {
                row.next();
                revision = row.getLong(1);
            }
            session.commit();
            return revision;
        }
    }

    private static long revision(PGNotification notice) {
        return new JsonObject(notice.getParameter()).getLong("revision");
    }

    /** One widget stream, read without a thread of its own: the data of each event it was sent. */
    private static final class Stream implements Flow.Subscriber<String> {
        final String customer;
        final List<String> events = new CopyOnWriteArrayList<>();
        private final StringBuilder data = new StringBuilder();
        private final CompletableFuture<HttpResponse<Void>> response;
        private volatile Flow.Subscription subscription;

        Stream(HttpClient http, String customer) {
            this.customer = customer;
            this.response = http.sendAsync(HttpRequest.newBuilder(URI.create(
                    "http://127.0.0.1:8081/api/widget/config/stream?customerId=" + customer))
                    .header("Accept", "text/event-stream").build(), HttpResponse.BodyHandlers.fromLineSubscriber(this));
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            this.subscription = subscription;
            subscription.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(String line) {
            if (line.startsWith("data:")) {
                data.append(line.substring(5).strip());
            } else if (line.isEmpty() && data.length() > 0) {
                events.add(data.toString());
                data.setLength(0);
            }
        }

        @Override
        public void onError(Throwable failure) {
            // closed by the test
        }

        @Override
        public void onComplete() {
        }

        void close() {
            Flow.Subscription current = subscription;
            if (current != null) {
                current.cancel();
            }
            response.cancel(true);
        }
    }
}
