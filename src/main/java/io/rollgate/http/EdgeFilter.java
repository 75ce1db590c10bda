package io.rollgate.http;

import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The widget-facing edge: CORS from the configured origins, and a token bucket per client on the public
 * endpoints (429 with Retry-After), so no single client can exhaust the service. Clients are the addresses
 * Quarkus resolves, trusting forwarded headers only from the configured proxies.
 */
@Singleton
public class EdgeFilter {

    private final HttpLimitsConfig config;
    private final List<String> origins;
    private final ClientLimiter limiter;
    private final WarmUpRequests warmUps;

    public EdgeFilter(HttpLimitsConfig config, WarmUpRequests warmUps) {
        this.config = config;
        this.warmUps = warmUps;
        this.origins = config.corsOrigins().orElse(List.of());
        this.limiter = new ClientLimiter(config.rateLimit().requestsPerSecond(), config.rateLimit().burst(),
                config.rateLimit().maxClients(), Duration.ofMinutes(2));
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
        if (admits(context)) {
            context.next();
        }
    }

    /**
     * Whether the request may go on; when not (a preflight, a refused origin, a client over its rate), it has been
     * answered.
     */
    boolean admits(RoutingContext context) {
        HttpServerRequest request = context.request();
        // the path the router matches (dot segments and doubled slashes resolved), not the raw one
        String path = context.normalizedPath();
        if (!isPublic(path)) {
            return true;
        }
        String origin = request.getHeader("Origin");
        boolean allowedOrigin = origin != null && (origins.contains("*") || origins.contains(origin));
        if (HttpMethod.OPTIONS.equals(request.method()) && origin != null) {
            if (!allowedOrigin) {
                ProblemMappers.respond(context, 403, "Forbidden",
                        "Origin " + origin + " is not allowed to call " + path, Map.of());
                return false;
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
            return false;
        }
        if (config.rateLimit().enabled() && !limiter.take(client(request)) && !warmUps.isWarmUp(request)) {
            long retryAfter = (long) Math.max(1, Math.ceil(1 / config.rateLimit().requestsPerSecond()));
            ProblemMappers.respond(context, 429, "Too many requests", "This client sent more than "
                    + config.rateLimit().requestsPerSecond() + " requests per second; slow down",
                    Map.of("Retry-After", Long.toString(retryAfter)));
            return false;
        }
        if (allowedOrigin) {
            context.response().putHeader("Access-Control-Allow-Origin", origin)
                    .putHeader("Access-Control-Expose-Headers", "ETag, Retry-After")
                    .putHeader("Vary", "Origin");
        }
        return true;
    }

    /**
     * The client as the platform resolved it: behind a trusted proxy (quarkus.http.proxy.trusted-proxies)
     * Quarkus has already replaced the peer by the forwarded address; from anyone else a forwarded header
     * is ignored, so no client picks its own identity.
     */
    private static String client(HttpServerRequest request) {
        return request.remoteAddress() == null ? "unknown" : request.remoteAddress().host();
    }
}
