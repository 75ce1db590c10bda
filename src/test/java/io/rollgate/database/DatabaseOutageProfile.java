package io.rollgate.database;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.rollgate.support.TcpProxy;
import io.rollgate.support.TestDatabase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/** Runs the service through a TCP proxy in front of PostgreSQL, with short timeouts and probes. */
public class DatabaseOutageProfile implements QuarkusTestProfile {

    static TcpProxy proxy;

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "rollgate.database.read-timeout", "300ms",
                "rollgate.database.write-timeout", "2s",
                "rollgate.database.probe-interval", "300ms");
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(ProxyResource.class));
    }

    /** The proxy is up when the service starts. */
    public static class ProxyResource implements QuarkusTestResourceLifecycleManager {

        boolean startCut() {
            return false;
        }

        @Override
        public Map<String, String> start() {
            try {
                proxy = new TcpProxy(5432);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            if (startCut()) {
                proxy.cut();
            }
            String hostPort = "127.0.0.1:" + proxy.port();
            // the test's own assertions go straight to PostgreSQL, around the proxy
            TestDatabase.directUrl = "jdbc:postgresql://127.0.0.1:5432/rollgate_test";
            return Map.of(
                    "quarkus.datasource.reactive.url", "postgresql://" + hostPort + "/rollgate_test",
                    "quarkus.datasource.jdbc.url", "jdbc:postgresql://" + hostPort + "/rollgate_test");
        }

        @Override
        public void stop() {
            TestDatabase.directUrl = null;
            if (proxy != null) {
                proxy.close();
            }
        }
    }
}
