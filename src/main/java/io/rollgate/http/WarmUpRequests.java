package io.rollgate.http;

import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;

/**
 * Requests a starting replica sends itself to warm its hot path before it reports ready: they carry a secret only
 * this process knows, so the per-client rate limit (every one comes from loopback) lets them through and no one
 * else can claim to be one.
 */
@ApplicationScoped
public class WarmUpRequests {

    public static final String HEADER = "X-Rollgate-Warm-Up";

    private final String secret = UUID.randomUUID().toString();

    public String secret() {
        return secret;
    }

    boolean isWarmUp(HttpServerRequest request) {
        String given = request.getHeader(HEADER);
        return given != null && secret.equals(given);
    }
}
