package io.rollgate.security;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/** A production-like edge: evaluation needs a token, and public endpoints allow 5 requests per second. */
public class LockedDownProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "rollgate.security.evaluation-requires-token", "true",
                "rollgate.http.rate-limit.requests-per-second", "5",
                "rollgate.http.rate-limit.burst", "5",
                "rollgate.http.cors-origins", "https://shop.example.com");
    }
}
