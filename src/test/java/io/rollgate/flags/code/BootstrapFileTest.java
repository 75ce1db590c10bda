package io.rollgate.flags.code;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.rollgate.support.Api;
import io.rollgate.support.TestDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A new environment comes up with its flags: a fresh database, and the bootstrap file applied at startup. */
@QuarkusTest
@TestProfile(BootstrapFileTest.FreshDatabase.class)
class BootstrapFileTest {

    static final String DATABASE = "rollgate_bootstrap_test";

    /** The service on a database of its own, dropped before it starts, with the bootstrap file set. */
    public static class FreshDatabase implements QuarkusTestProfile {

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "rollgate.flags.bootstrap-file", "src/test/resources/bootstrap-flags.json",
                    "quarkus.datasource.reactive.url", "postgresql://127.0.0.1:5432/" + DATABASE,
                    "quarkus.datasource.jdbc.url", "jdbc:postgresql://127.0.0.1:5432/" + DATABASE);
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(DropDatabase.class));
        }
    }

    /** Drops the database left by an earlier run, so every run starts from an empty one. */
    public static class DropDatabase implements QuarkusTestResourceLifecycleManager {

        @Override
        public Map<String, String> start() {
            try (Connection connection = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/postgres",
                    "postgres", ""); Statement statement = connection.createStatement()) {
                statement.execute("DROP DATABASE IF EXISTS " + DATABASE + " WITH (FORCE)");
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
            return Map.of();
        }

        @Override
        public void stop() {
        }
    }

    @Test
    void theBootstrapFilesFlagsAreThereOnceWithTheirAudit() {
        Api.viewer().get("/api/admin/flags/{n}", "checkout.newPaymentPage").then().statusCode(200)
                .body("rolloutPercentage", equalTo(25)).body("rules[0].type", equalTo("group"))
                .body("environmentDefaults.development", equalTo(true));
        Api.viewer().get("/api/admin/flags/{n}", "checkout.expressShipping").then().statusCode(200)
                .body("prerequisites", equalTo(List.of("checkout.newPaymentPage")));
        assertEquals(List.of(Map.of("changed_by", "system:bootstrap", "reason", "environment bootstrap")),
                TestDatabase.query("SELECT DISTINCT changed_by, reason FROM feature_flag_changes "
                        + "WHERE flag_path LIKE 'checkout.%'"));
        // the widget catalog the migrations ship is still there beside them
        Api.viewer().get("/api/admin/flags/{n}", "phase2_enhanced_storage").then().statusCode(200);
    }
}
