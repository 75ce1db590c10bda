package io.rollgate.database;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.rollgate.support.Api;
import io.rollgate.support.Await;
import io.rollgate.support.Management;
import io.rollgate.support.Metrics;
import io.rollgate.support.Runbooks;
import io.rollgate.support.TestDatabase;
import io.rollgate.support.TestFlags;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A database put back in time under a running replica: a restore, or a failover to a standby that lacked the last
 * commits. Its revisions go back, and the next kill switch must still be served, not ignored until later writes
 * carry the revision past the old number.
 */
@QuarkusTest
class RevisionResetTest {

    private final TestFlags flags = new TestFlags();

    @AfterEach
    void cleanUp() {
        flags.deleteAll();
    }

    private static boolean served(String flag, boolean enabled) {
        return Api.admin().get("/api/admin/flags/{name}", flag).jsonPath().getBoolean("enabled") == enabled;
    }

    private static long appliedRevision() {
        return Management.given().get("/q/health/ready").jsonPath()
                .getLong("checks.find { it.name == 'rollgate' }.data.appliedRevision");
    }

    private static long databaseRevision() {
        return ((Number) TestDatabase.query("SELECT revision FROM change_revision").get(0).get("revision"))
                .longValue();
    }

    /** A flag of the test's own, once the replica has applied every change up to the database's revision. */
    private String flagWithEverythingApplied() throws InterruptedException {
        String flag = flags.create();
        Await.until(Duration.ofSeconds(10), Duration.ofMillis(50), () -> appliedRevision() == databaseRevision(),
                "the replica to have applied every change");
        return flag;
    }

    @Test
    void revisionsThatWentBackAreFollowedFromTheirNewNumber() throws Exception {
        String flag = flagWithEverythingApplied();
        double resets = Metrics.value("rollgate_change_resets_total", "");
        // as a restore would: the revision and its change log 50 back
        TestDatabase.update("DELETE FROM change_log WHERE revision > (SELECT revision - 50 FROM change_revision)");
        TestDatabase.update("UPDATE change_revision SET revision = revision - 50");
        // the runbook's kill switch, in SQL, right after: its revision is below what the replica applied
        TestDatabase.update("UPDATE feature_flags SET enabled = false WHERE flag_key = ?", flag);
        Await.until(Duration.ofSeconds(10), Duration.ofMillis(50), () -> served(flag, false),
                "the kill switch to be served");
        assertTrue(Metrics.value("rollgate_change_resets_total", "") > resets, "the reset is counted");
        Await.until(Duration.ofSeconds(10), Duration.ofMillis(50), () -> appliedRevision() == databaseRevision(),
                "the replica to follow the database's revision");
        // and the next change after it, through the API's own path of notices, is served as usual
        TestDatabase.update("UPDATE feature_flags SET enabled = true WHERE flag_key = ?", flag);
        Await.until(Duration.ofSeconds(10), Duration.ofMillis(50), () -> served(flag, true),
                "the next change to be served");
    }

    @Test
    void aLongTransactionsChangeIsLoggedAtTheTimeItTookItsRevisionNotWhenItBegan() throws Exception {
        String flag = flags.create();
        try (java.sql.Connection connection = TestDatabase.connect();
                java.sql.Statement statement = connection.createStatement()) {
            connection.setAutoCommit(false);
            java.sql.ResultSet began = statement.executeQuery("SELECT now()");
            began.next();
            java.time.Instant start = began.getTimestamp(1).toInstant();
            statement.execute("SELECT pg_sleep(0.3)");
            statement.executeUpdate("UPDATE feature_flags SET description = 'long transaction' WHERE flag_key = '"
                    + flag + "'");
            java.sql.ResultSet logged = statement.executeQuery("SELECT changed_at FROM change_log "
                    + "WHERE revision = (SELECT revision FROM change_revision) AND key = '" + flag + "'");
            logged.next();
            java.time.Instant at = logged.getTimestamp(1).toInstant();
            connection.commit();
            // pruning by age keeps revisions in order only if their times follow the revisions
            assertTrue(Duration.between(start, at).toMillis() >= 250, "logged at " + at + ", began " + start);
        }
    }

    @Test
    void aNewGenerationResetsEvenWhenLaterWritesCarriedTheRevisionPastTheOldNumber() throws Exception {
        String flag = flagWithEverythingApplied();
        double resets = Metrics.value("rollgate_change_resets_total", "");
        // a restore whose later writes carried the revision past the old number, then the restore runbook
        TestDatabase.update("UPDATE change_revision SET revision = revision + 5");
        TestDatabase.update(Runbooks.sql("after-restore"));
        TestDatabase.update("UPDATE feature_flags SET enabled = false WHERE flag_key = ?", flag);
        Await.until(Duration.ofSeconds(10), Duration.ofMillis(50),
                () -> Metrics.value("rollgate_change_resets_total", "") > resets, "the reset");
        Await.until(Duration.ofSeconds(10), Duration.ofMillis(50), () -> served(flag, false),
                "the kill switch to be served");
    }
}
