package io.rollgate.startup;

import static io.rollgate.support.Overrides.body;
import static io.rollgate.support.Overrides.phase2;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.rollgate.catalog.CatalogService;
import io.rollgate.http.WarmUpRequests;
import io.rollgate.support.Api;
import io.rollgate.support.Await;
import io.rollgate.support.Metrics;
import io.rollgate.support.TestDatabase;
import io.rollgate.support.TestIds;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * What a starting replica rehearses before it reports ready: a change, run to its end and rolled back, and the
 * fan-out of a change to streams it opened to itself. Neither may leave a trace another replica or an operator sees.
 */
@QuarkusTest
class RehearsalTest {

    private static final Pattern REHEARSED = Pattern.compile("a kill switch of (\\S+) rehearsed and rolled back");

    @Inject
    ChangeRehearsal change;

    @Inject
    FanOutRehearsal fanOut;

    @Inject
    WarmUpRequests warmUps;

    @Inject
    CatalogService catalogs;

    private static Map<String, Object> flagRow(String key) {
        return TestDatabase.query("SELECT enabled, updated_at, version FROM feature_flags WHERE flag_key = ?", key)
                .get(0);
    }

    private static Object revision() {
        return TestDatabase.query("SELECT revision FROM change_revision").get(0).get("revision");
    }

    private static Object auditedByTheRehearsal() {
        return TestDatabase.query("SELECT count(*) AS n FROM feature_flag_changes WHERE changed_by = ?",
                WarmUpRequests.PRINCIPAL).get(0).get("n");
    }

    /** The flag's value in a customer's widget configuration. */
    private static boolean widgetValue(String customerId, String flag) throws Exception {
        String body = RestAssured.given().queryParam("customerId", customerId).get("/api/widget/config").then()
                .statusCode(200).extract().asString();
        JsonNode value = new ObjectMapper().readTree(body).at("/" + flag.replace('.', '/'));
        assertTrue(value.isBoolean(), flag + " in " + body);
        return value.booleanValue();
    }

    private String rehearsedFlag() throws InterruptedException {
        String said = change.run(8081).said();
        Matcher matcher = REHEARSED.matcher(said);
        assertTrue(matcher.find(), said);
        return matcher.group(1);
    }

    @Test
    void aRehearsedChangeRunsToItsEndAndLeavesNothingBehind() throws Exception {
        Object revisionBefore = revision();
        String flag = rehearsedFlag();
        Map<String, Object> before = flagRow(flag);

        rehearsedFlag();

        assertEquals(before, flagRow(flag), "the kill switch was rolled back");
        assertEquals(revisionBefore, revision(), "no revision taken, so no replica was told of a change");
        assertEquals(0L, auditedByTheRehearsal(), "no audit entry");
        assertEquals(List.of(), TestDatabase.query("SELECT txid FROM change_rehearsal"));
    }

    @Test
    void aRehearsalGivesWayToARealChangeHoldingItsFlag() throws Exception {
        String flag = rehearsedFlag();
        try (Connection operator = TestDatabase.holding(
                "SELECT 1 FROM feature_flags WHERE flag_key = '" + flag + "' FOR UPDATE")) {
            long start = System.nanoTime();
            String said = change.run(8081).said();
            long tookMs = (System.nanoTime() - start) / 1_000_000;

            // it reached the row, waited its moment, and gave up rather than queue ahead of the next real change
            assertTrue(said.startsWith("no change rehearsed"), said);
            assertTrue(tookMs < 5_000, tookMs + " ms");
            operator.rollback();
        }
        assertTrue(REHEARSED.matcher(change.run(8081).said()).find(), "once the row is free it rehearses again");
    }

    @Test
    void theWarmUpsIdentityRehearsesTheEmergencySwitchOnlyAndNoOneElseHasIt() throws Exception {
        String flag = rehearsedFlag();
        Map<String, Object> before = flagRow(flag);
        String killSwitch = "{\"global\": true, \"featureName\": \"" + flag + "\", \"enabled\": "
                + !(Boolean) before.get("enabled") + ", \"reason\": \"test\"}";

        // with the secret, the kill switch answers as if made, and is not
        Api.as(warmUps.secret()).header(WarmUpRequests.HEADER, warmUps.secret()).contentType("application/json")
                .body(killSwitch).post(WarmUpRequests.REHEARSED_PATH).then().statusCode(200);
        assertEquals(before, flagRow(flag));
        // anywhere else, or without the warm-up's mark, the secret is no token
        Api.as(warmUps.secret()).header(WarmUpRequests.HEADER, warmUps.secret()).contentType("application/json")
                .body(body(phase2("enhancedStorage", true), "test"))
                .put("/api/admin/customers/{id}/flags", TestIds.customer()).then().statusCode(401);
        Api.as(warmUps.secret()).contentType("application/json")
                .body(killSwitch).post(WarmUpRequests.REHEARSED_PATH).then().statusCode(401);
        Api.anonymous().header(WarmUpRequests.HEADER, warmUps.secret()).contentType("application/json")
                .body(killSwitch).post(WarmUpRequests.REHEARSED_PATH).then().statusCode(401);
        assertEquals(before, flagRow(flag));
    }

    @Test
    void aRehearsingTransactionHoldsNoRevisionAndCannotCommit() throws Exception {
        String flag = rehearsedFlag();
        try (Connection rehearsal = TestDatabase.connect(); Statement statement = rehearsal.createStatement()) {
            rehearsal.setAutoCommit(false);
            statement.execute("SET LOCAL rollgate.rehearsal = 'on'");
            statement.execute("UPDATE feature_flags SET updated_at = now() WHERE flag_key = '" + flag + "'");

            // every write of every replica takes the revision row: a rehearsal must not hold it
            try (Connection other = TestDatabase.connect(); Statement taking = other.createStatement()) {
                taking.execute("SELECT revision FROM change_revision FOR UPDATE NOWAIT");
            }
            // a rehearsal committed by mistake would be a change no replica heard of
            SQLException refused = assertThrows(SQLException.class, rehearsal::commit);
            assertTrue(refused.getMessage().contains("never committed"), refused.getMessage());
        }
    }

    @Test
    void theFanOutRehearsalSendsEveryRoundToEveryStreamAndClosesThem() throws Exception {
        double sent = Metrics.value("rollgate_live_events_sent_total", "kind=\"widget\"");
        double open = Metrics.value("rollgate_live_streams", "kind=\"widget\"");
        double fallbacks = Metrics.value("rollgate_override_fallbacks_total", "");
        double loads;
        double reads;

        int rounds = 3;
        int streams = FanOutRehearsal.STREAMS;
        String said;
        String flag;
        try (FanOutRehearsal.Streams rehearsal = fanOut.open(8081, "rehearsal-test-stream-")) {
            loads = Metrics.value("rollgate_override_loads_total", "");
            reads = Metrics.value("rollgate_override_reads_total", "");
            // its first round turns the catalog's first flag off, for its own customers only
            flag = catalogs.snapshot().flags().iterator().next().key();
            String customer = TestIds.customer();
            assertTrue(widgetValue(customer, flag), flag + " is on in the seeded catalog");
            double disabled = Metrics.value("rollgate_flag_evaluations_total",
                    "flag=\"" + flag + "\",source=\"disabled\"");
            for (int i = 0; i < rounds; i++) {
                assertTrue(rehearsal.round(), rehearsal.said());
                if (i == 0) {
                    assertTrue(
                            Metrics.value("rollgate_flag_evaluations_total",
                                    "flag=\"" + flag + "\",source=\"disabled\"")
                                    - disabled >= streams,
                            "every stream's configuration rendered with " + flag + " off");
                    assertEquals(false, widgetValue("rehearsal-test-stream-7", flag));
                    assertEquals(true, widgetValue(customer, flag), "no one else's answer sees the rehearsal");
                }
            }
            said = rehearsal.said();
        }

        assertEquals(rounds + " fan-outs to " + streams + " streams rehearsed (1 of a change of their documents)",
                said);
        // the round that rehearsed a change of their documents had every one read again, in batches
        double loaded = Metrics.value("rollgate_override_loads_total", "") - loads;
        double read = Metrics.value("rollgate_override_reads_total", "") - reads;
        assertTrue(loaded >= streams, "documents read again: " + loaded);
        assertTrue(read > 0 && read <= streams / 100.0, "queries for them: " + read + " for " + loaded + " documents");
        // each stream had its configuration when it opened, and again in every round (a write is counted once it
        // completes, which may be just after its reader had it)
        double expected = sent + (rounds + 1) * streams;
        Await.until(Duration.ofSeconds(10), Duration.ofMillis(50),
                () -> Metrics.value("rollgate_live_events_sent_total", "kind=\"widget\"") >= expected,
                "every event counted as sent");
        // and nothing more, but where a read of their documents took too long on a loaded machine: that stream was
        // sent a render from last known good data, marked stale, then the fresh one
        double extra = Metrics.value("rollgate_live_events_sent_total", "kind=\"widget\"") - expected;
        double stale = Metrics.value("rollgate_override_fallbacks_total", "") - fallbacks;
        assertTrue(extra <= stale, extra + " events more than " + (rounds + 1) + " per stream, " + stale
                + " lookups answered from last known good data");
        assertEquals(true, widgetValue("rehearsal-test-stream-7", flag), "the rehearsal's catalog is gone");
        // (another test's streams may be closing meanwhile)
        Await.until(Duration.ofSeconds(10), Duration.ofMillis(50),
                () -> Metrics.value("rollgate_live_streams", "kind=\"widget\"") <= open, "its streams are closed");
    }
}
