package io.rollgate.http;

import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Map;

/**
 * Refuses a declared oversized body before it is read, with a problem document rather than the bare
 * 413 of the HTTP layer; {@link BodySizeInterceptor} holds chunked bodies to the same limits as they are read.
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

    /** The largest body the endpoint at {@code path} takes: reporters' batches may be larger than the rest. */
    long limitFor(String path) {
        boolean ingest = INGEST_PATH.equals(path)
                || (path.startsWith("/api/canary/") && path.endsWith(CANARY_INGEST_SUFFIX));
        return ingest ? maxIngestBodySize : maxBodySize;
    }

    void limit(RoutingContext context) {
        if (admits(context)) {
            context.next();
        }
    }

    /** Whether the request may go on; when not, it has been answered. */
    boolean admits(RoutingContext context) {
        String length = context.request().getHeader("Content-Length");
        long limit = limitFor(context.request().path());
        if (length != null && exceeds(length, limit)) {
            ProblemMappers.respond(context, 413, "Payload too large",
                    "The request body is larger than " + limit + " bytes", Map.of("Connection", "close"));
            return false;
        }
        return true;
    }

    private static boolean exceeds(String length, long limit) {
        try {
            return Long.parseLong(length.trim()) > limit;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
