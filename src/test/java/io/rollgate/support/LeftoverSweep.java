package io.rollgate.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Before any test runs: the test database outlives test runs, so flags a run left behind when it was interrupted
 * (every test flag has a prefix of its own, and cleans up after itself otherwise) are removed. Left in place they
 * would change what other tests see, such as the most specific source of an anonymous widget configuration.
 */
public class LeftoverSweep implements LauncherSessionListener {

    static final String TEST_FLAGS = "flag_key LIKE 't.f%' OR flag_key ~ '^(ui|web|dash|sdk|ofrep|ov|cfg|ff|replica)-'";
    static final String TEST_SERVICES = "service ~ '^(svc|list|audit|ui-svc)-'";

    @Override
    public void launcherSessionOpened(LauncherSession session) {
        try (Connection connection = DriverManager.getConnection(
                "jdbc:postgresql://127.0.0.1:5432/rollgate_test?connectTimeout=2", "postgres", "");
                Statement statement = connection.createStatement()) {
            int removed = statement.executeUpdate("DELETE FROM feature_flags WHERE " + TEST_FLAGS);
            if (removed > 0) {
                System.out.printf("Removed %d test flags an earlier run left in rollgate_test%n", removed);
            }
            // the bulk fan-out test writes a hundred thousand override documents, and removes them when it ends
            int documents = statement
                    .executeUpdate("DELETE FROM customer_feature_flags WHERE customer_id LIKE 'bulk-%'");
            if (documents > 0) {
                System.out.printf("Removed %d bulk test override documents an earlier run left in rollgate_test%n",
                        documents);
            }
            // canary tests name their services with prefixes too; their deployments otherwise pile up run after run
            int deployments = statement.executeUpdate("DELETE FROM canary_deployments WHERE " + TEST_SERVICES);
            if (deployments > 0) {
                System.out.printf("Removed %d test canary deployments earlier runs left in rollgate_test%n",
                        deployments);
            }
        } catch (SQLException e) {
            // a fresh machine: no test database (or table) yet, so nothing was left behind
        }
    }
}
