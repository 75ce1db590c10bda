package io.rollgate.http;

import io.quarkus.scheduler.Scheduled;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.rollgate.errors.ProblemMappers;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The widget-facing edge: CORS from the configured origins, and a token bucket per client on the public
 * endpoints (429 with Retry-After), so no single client can exhaust the service.
 */
@ApplicationScoped
public class EdgeFilter {

    private static final int MAX_CLIENTS = 100_000;
    private static final long IDLE_NANOS = 120_000_000_000L;

    private final HttpLimitsConfig config;
    private final List<String> origins;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    public EdgeFilter(HttpLimitsConfig config) {
        this.config = config;
        this.origins = config.corsOrigins().orElse(List.of());
    }

    void register(@Observes Filters filters) {
        filters.register(this::filter, 90);
    }

    /** Paths a browser or an anonymous client may call: the widget config, evaluation, canary routing. */
    static boolean isPublic(String path) {
        return path.startsWith("/api/widget/") || path.startsWith("/ofrep/") || path.startsWith("/api/flags/")
                || (path.startsWith("/api/canary/") && path.endsWith("/route"));
    }

    void filter(RoutingContext context) {
        HttpServerRequest request = context.request();
        String path = request.path();
        if (!isPublic(path)) {
            context.next();
            return;
        }
        String origin = request.getHeader("Origin");
        boolean allowedOrigin = origin != null && (origins.contains("*") || origins.contains(origin));
        if (request.method() == HttpMethod.OPTIONS && origin != null) {
            if (!allowedOrigin) {
                ProblemMappers.respond(context, 403, "Forbidden",
                        "Origin " + origin + " is not allowed to call " + path, Map.of());
                return;
            }
            context.response().setStatusCode(204)
                    .putHeader("Access-Control-Allow-Origin", origin)
                    .putHeader("Access-Control-Allow-Methods", "GET, POST, OPTIONS")
                    .putHeader("Access-Control-Allow-Headers",
                            "Content-Type, Authorization, If-None-Match, X-Request-Id")
                    .putHeader("Access-Control-Expose-Headers", "ETag, Retry-After")
                    .putHeader("Access-Control-Max-Age", "600")
                    .putHeader("Vary", "Origin")
                    .end();
            return;
        }
        if (config.rateLimit().enabled() && !take(client(request))) {
            long retryAfter = (long) Math.max(1, Math.ceil(1 / config.rateLimit().requestsPerSecond()));
            ProblemMappers.respond(context, 429, "Too many requests", "This client sent more than "
                    + config.rateLimit().requestsPerSecond() + " requests per second; slow down",
                    Map.of("Retry-After", Long.toString(retryAfter)));
            return;
        }
        if (allowedOrigin) {
            context.response().putHeader("Access-Control-Allow-Origin", origin)
                    .putHeader("Access-Control-Expose-Headers", "ETag, Retry-After")
                    .putHeader("Vary", "Origin");
        }
        context.next();
    }

    private String client(HttpServerRequest request) {
        if (config.rateLimit().trustForwardedFor()) {
            String forwarded = request.getHeader("X-Forwarded-For");
            if (forwarded != null && !forwarded.isBlank()) {
                return forwarded.split(",")[0].trim();
            }
        }
        return request.remoteAddress() == null ? "unknown" : request.remoteAddress().host();
    }

    private boolean take(String client) {
        Bucket bucket = buckets.get(client);
        if (bucket == null) {
            if (buckets.size() >= MAX_CLIENTS) {
                evictIdle();
            }
            bucket = buckets.computeIfAbsent(client, c -> new Bucket(config.rateLimit().burst()));
        }
        return bucket.take(config.rateLimit().requestsPerSecond(), config.rateLimit().burst());
    }

    @Scheduled(every = "60s", delayed = "60s")
    void evictIdle() {
        long now = System.nanoTime();
        buckets.values().removeIf(bucket -> now - bucket.last > IDLE_NANOS);
    }

    /** A token bucket: refills at the sustained rate up to the burst size. */
    private static final class Bucket {
        private double tokens;
        private volatile long last = System.nanoTime();

        Bucket(double burst) {
            this.tokens = burst;
        }

        synchronized boolean take(double rate, double burst) {
            long now = System.nanoTime();
            tokens = Math.min(burst, tokens + (now - last) / 1e9 * rate);
            last = now;
            if (tokens >= 1) {
                tokens -= 1;
                return true;
            }
            return false;
        }
    }
}
