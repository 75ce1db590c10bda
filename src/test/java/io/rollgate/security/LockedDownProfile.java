package io.rollgate.security;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/**
 * A production-like edge: evaluation needs a token, and public endpoints allow a burst of 5 requests per
 * client. The sustained rate is one request per 10 s so that no refill lands inside a test however slow the
 * machine; clients are keyed by X-Forwarded-For, believed from the local test client as from a trusted proxy, so each
 * test is a client of its own.
 */
public class LockedDownProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "rollgate.security.evaluation-requires-token", "true",
                "rollgate.http.rate-limit.requests-per-second", "0.1",
                "rollgate.http.rate-limit.burst", "5",
                "quarkus.http.proxy.proxy-address-forwarding", "true",
                "quarkus.http.proxy.allow-x-forwarded", "true",
                "quarkus.http.proxy.trusted-proxies", "127.0.0.1",
                "rollgate.http.cors-origins", "https://shop.example.com");
    }
}
