package io.rollgate.http;

import io.quarkus.vertx.http.runtime.filters.Filters;
import io.rollgate.errors.ProblemMappers;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Map;

/**
 * Refuses a declared oversized body before it is read, with a problem document rather than the bare
 * 413 of the HTTP layer (which still guards chunked bodies at the same limit).
 */
@ApplicationScoped
public class BodyLimitFilter {

    static final String INGEST_PATH = "/api/rollout-events";
    private static final String CANARY_INGEST_SUFFIX = "/requests";

    private final long maxBodySize;
    private final long maxIngestBodySize;

    public BodyLimitFilter(HttpLimitsConfig limits) {
        this.maxBodySize = limits.maxBodySize().asLongValue();
        this.maxIngestBodySize = limits.maxIngestBodySize().asLongValue();
    }

    void register(@Observes Filters filters) {
        filters.register(this::limit, 100);
    }

    void limit(RoutingContext context) {
        String length = context.request().getHeader("Content-Length");
        String path = context.request().path();
        boolean ingest = INGEST_PATH.equals(path)
                || (path.startsWith("/api/canary/") && path.endsWith(CANARY_INGEST_SUFFIX));
        long limit = ingest ? maxIngestBodySize : maxBodySize;
        if (length != null && exceeds(length, limit)) {
            ProblemMappers.respond(context, 413, "Payload too large",
                    "The request body is larger than " + limit + " bytes", Map.of("Connection", "close"));
            return;
        }
        context.next();
    }

    private static boolean exceeds(String length, long limit) {
        try {
            return Long.parseLong(length.trim()) > limit;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
