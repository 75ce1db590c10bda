package io.rollgate.http;

import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.MDC;

/**
 * Gives every request one correlation id, before anything else runs: the caller's {@code X-Request-Id} when it
 * sent a sane one, otherwise a new one. Every log line written for the request carries it (the logging context
 * follows the request through its asynchronous steps), the answer echoes it, and a problem document quotes it,
 * so a support ticket, our logs and the caller's meet.
 */
@ApplicationScoped
public class RequestIds {

    public static final String LOG_KEY = "correlationId";

    void register(@Observes Filters filters) {
        filters.register(this::filter, 200);
    }

    void filter(RoutingContext context) {
        tag(context);
        context.next();
    }

    /** Gives the request its id (and the answer and the log context with it). */
    void tag(RoutingContext context) {
        String id = ProblemMappers.correlationId(context.request());
        // the sanitised id replaces what was sent, so every later reader of the header sees the same one
        context.request().headers().set(ProblemMappers.REQUEST_ID_HEADER, id);
        context.response().putHeader(ProblemMappers.REQUEST_ID_HEADER, id);
        MDC.put(LOG_KEY, id);
    }
}
