package io.rollgate.http;

import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import org.jboss.logging.MDC;

/**
 * Gives every request one correlation id, before anything else runs: the caller's {@code X-Request-Id} when it
 * sent a sane one, otherwise a new one. Every log line written for the request carries it (the logging context
 * follows the request through its asynchronous steps), the answer echoes it, and a problem document quotes it,
 * so a support ticket, our logs and the caller's meet.
 */
@Singleton
public class RequestIds {

    public static final String LOG_KEY = "correlationId";

    void register(@Observes Filters filters) {
        filters.register(this::filter, 200);
    }

    void filter(RoutingContext context) {
        MDC.put(LOG_KEY, tag(context));
        context.next();
    }

    /**
     * Gives the request its id, and the answer with it; the log context is {@link #logUnder}'s, for a route that
     * puts it only where it may log (a first put makes the request a map of its own).
     */
    String tag(RoutingContext context) {
        String id = ProblemMappers.correlationId(context.request());
        // the sanitised id replaces what was sent, so every later reader of the header sees the same one
        context.request().headers().set(ProblemMappers.REQUEST_ID_HEADER, id);
        context.response().putHeader(ProblemMappers.REQUEST_ID_HEADER, id);
        return id;
    }

    /**
     * Puts the id {@link #tag} gave the request in the log context, which follows it through its asynchronous steps.
     */
    public static void logUnder(RoutingContext context) {
        MDC.put(LOG_KEY, context.request().getHeader(ProblemMappers.REQUEST_ID_HEADER));
    }
}
