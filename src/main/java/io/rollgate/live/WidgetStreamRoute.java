package io.rollgate.live;

import io.rollgate.engine.Ids;
import io.rollgate.errors.InvalidInputException;
import io.rollgate.http.EdgeRules;
import io.rollgate.http.ProblemMappers;
import io.rollgate.http.QueryParameters;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The widget's configuration as a stream, {@code GET /api/widget/config/stream}, on a Vert.x route of its own, as
 * the widget's configuration is ({@code WidgetConfigRoute}), and for two reasons of its own. An open stream held
 * what the REST layer keeps for a request until it ends: its request context, the request-scoped beans, the
 * context-propagation snapshots, about 7 KB a stream, ten thousand streams growing the old generation in steps,
 * each a full collection. And the framework serialized every event again for each stream; here a frame is
 * serialized once and its bytes written to every stream it goes to. The route runs ahead of authentication, which
 * a public stream has no use for, and applies the edge filters' rules itself ({@link EdgeRules}). Its operation is
 * described in the OpenAPI document by {@code META-INF/openapi.yaml}, and its refusals are problem documents.
 */
@ApplicationScoped
public class WidgetStreamRoute {

    static final String PATH = "/api/widget/config/stream";

    private static final CharSequence EVENT_STREAM = HttpHeaders.createOptimized("text/event-stream");
    private static final String LAST_EVENT_ID = "Last-Event-ID";

    private final WidgetStreams streams;
    private final EdgeRules edge;
    private final String retryAfter;

    public WidgetStreamRoute(WidgetStreams streams, EdgeRules edge,
            @ConfigProperty(name = "rollgate.database.retry-after", defaultValue = "5s") Duration retryAfter) {
        this.streams = streams;
        this.edge = edge;
        this.retryAfter = Long.toString(retryAfter.toSeconds());
    }

    void register(@Observes Router router) {
        router.route(HttpMethod.GET, PATH).order(EdgeRules.AHEAD_OF_AUTHENTICATION).handler(this::atTheEdge);
        // any other method, as the REST layer answers it: behind the filters (a CORS preflight is the edge filter's)
        router.route(PATH).handler(context -> ProblemMappers.respond(context, 405, "Method Not Allowed",
                context.request().method() + " is not allowed on " + PATH, Map.of("Allow", "GET")));
    }

    void atTheEdge(RoutingContext context) {
        if (!edge.admit(context)) {
            return;
        }
        try {
            open(context);
        } catch (RuntimeException e) {
            if (context.response().headWritten()) {
                context.response().reset(); // a stream that cannot go on is cut: its client reconnects
            } else {
                ProblemMappers.unexpected(context, e);
            }
        }
    }

    private void open(RoutingContext context) {
        HttpServerRequest request = context.request();
        if (!acceptsEventStream(request.getHeader(HttpHeaders.ACCEPT))) {
            ProblemMappers.respond(context, 406, "Not Acceptable", "This resource answers text/event-stream",
                    Map.of());
            return;
        }
        String customerId;
        String organizationId;
        try {
            String query = request.query();
            customerId = Ids.optional("customerId", QueryParameters.nonEmpty(query, "customerId"));
            organizationId = Ids.optional("organizationId", QueryParameters.nonEmpty(query, "organizationId"));
        } catch (InvalidInputException invalid) {
            ProblemMappers.invalid(context, invalid);
            return;
        }
        HttpServerResponse response = context.response();
        // the head goes out with the first configuration, which may be written before open returns (from memory)
        response.setStatusCode(200).putHeader(HttpHeaders.CONTENT_TYPE, EVENT_STREAM).setChunked(true);
        if (!streams.open(customerId, organizationId, request.getHeader(LAST_EVENT_ID), Wire.of(response))) {
            response.setChunked(false);
            ProblemMappers.respond(context, 503, "Service unavailable", "This replica holds as many streams as it "
                    + "may; poll /api/widget/config meanwhile", Map.of("Retry-After", retryAfter));
            return;
        }
        if (!response.headWritten()) {
            // a client resuming with what it has, or one whose configuration is being read, learns it is connected
            response.write(Buffer.buffer());
        }
    }

    /** Whether the request's Accept names the event stream, or anything that includes it (absent, it does). */
    static boolean acceptsEventStream(String accept) {
        if (accept == null || accept.isBlank()) {
            return true;
        }
        for (int start = 0; start <= accept.length();) {
            int end = accept.indexOf(',', start);
            end = end < 0 ? accept.length() : end;
            int parameters = accept.indexOf(';', start);
            String type = accept.substring(start, parameters < 0 || parameters > end ? end : parameters).trim();
            if (type.equalsIgnoreCase("text/event-stream") || type.equals("*/*") || type.equalsIgnoreCase("text/*")) {
                return true;
            }
            start = end + 1;
        }
        return false;
    }
}
