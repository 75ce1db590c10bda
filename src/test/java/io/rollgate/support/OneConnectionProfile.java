package io.rollgate.support;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/**
 * The service with a single pooled connection: whatever holds a transaction and asks the pool for a second
 * connection waits for itself, so a test under this profile fails where a decision reads its evidence outside the
 * transaction that holds the rows it decides on.
 */
public class OneConnectionProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("quarkus.datasource.reactive.max-size", "1");
    }
}
