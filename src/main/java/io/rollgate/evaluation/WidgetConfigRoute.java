package io.rollgate.evaluation;

import io.micrometer.core.instrument.MeterRegistry;
import io.netty.buffer.Unpooled;
import io.rollgate.engine.Ids;
import io.rollgate.errors.DatabaseUnavailableException;
import io.rollgate.errors.InvalidInputException;
import io.rollgate.errors.ServiceBusyException;
import io.rollgate.http.EdgeRules;
import io.rollgate.http.EntityTags;
import io.rollgate.http.ProblemMappers;
import io.rollgate.http.QueryParameters;
import io.rollgate.http.RequestIds;
import io.rollgate.http.RouteTimer;
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
 * The widget's hot path, {@code GET /api/widget/config}, on a Vert.x route of its own: a kept answer is checked
 * and its bytes written straight onto the response, without the REST layer's resource matching, reactive wrapping
 * and writer selection on every page load. The route runs ahead of the router's filters and of Quarkus's
 * authentication, which a public answer has no use for, and applies the edge filters' rules itself
 * ({@link EdgeRules}): the request id, the body limit, CORS and the per-client rate limit. It times itself into the
 * HTTP metrics the dashboard reads ({@link RouteTimer}: every answer under the route's path, a 304 included; the
 * server's own metrics leave the path alone). The operation is described in the OpenAPI document by
 * {@code META-INF/openapi.yaml}, and refusals are problem documents like every other answer's.
 */
@ApplicationScoped
public class WidgetConfigRoute {

    static final String PATH = "/api/widget/config";

    private static final CharSequence JSON = HttpHeaders.createOptimized("application/json");
    private static final CharSequence NO_CACHE = HttpHeaders.createOptimized("no-cache");

    private final WidgetConfigService service;
    private final EdgeRules edge;
    private final CharSequence cacheControl;
    private final String retryAfter;
    private final RouteTimer timer;

    public WidgetConfigRoute(WidgetConfigService service, EdgeRules edge, WidgetSettings settings,
            MeterRegistry registry,
            @ConfigProperty(name = "rollgate.database.retry-after", defaultValue = "5s") Duration retryAfter) {
        this.service = service;
        this.edge = edge;
        this.timer = new RouteTimer(registry, PATH);
        this.cacheControl = HttpHeaders.createOptimized("public, max-age=" + settings.maxAge().toSeconds());
        this.retryAfter = Long.toString(retryAfter.toSeconds());
    }

    void register(@Observes Router router) {
        router.route(HttpMethod.GET, PATH).order(EdgeRules.AHEAD_OF_AUTHENTICATION).handler(this::atTheEdge);
        router.route(HttpMethod.HEAD, PATH).order(EdgeRules.AHEAD_OF_AUTHENTICATION).handler(this::atTheEdge);
        // any other method, as the REST layer answers it: behind the filters (a CORS preflight is the edge filter's)
        router.route(PATH).handler(context -> {
            long started = System.nanoTime();
            ProblemMappers.respond(context, 405, "Method Not Allowed",
                    context.request().method() + " is not allowed on " + PATH, Map.of("Allow", "GET, HEAD"));
            timed(context, started);
        });
    }

    void atTheEdge(RoutingContext context) {
        long started = System.nanoTime();
        if (edge.admit(context)) {
            config(context, started);
        } else {
            timed(context, started); // answered by a rule
        }
    }

    private void timed(RoutingContext context, long started) {
        timer.record(context.request().method(), context.response().getStatusCode(), started);
    }

    void config(RoutingContext context, long started) {
        HttpServerRequest request = context.request();
        try {
            String query = request.query();
            String customerId = Ids.optional("customerId", QueryParameters.nonEmpty(query, "customerId"));
            String organizationId = Ids.optional("organizationId", QueryParameters.nonEmpty(query, "organizationId"));
            RenderedConfig now = service.inMemory(customerId, organizationId);
            if (now != null) {
                send(context, now, started);
                return;
            }
            // the log context goes with the request from here: reading a document may log, the kept answer does not
            RequestIds.logUnder(context);
            service.loaded(customerId, organizationId, config -> config).subscribe()
                    .with(config -> send(context, config, started), failure -> refuse(context, failure, started));
        } catch (RuntimeException e) {
            refuse(context, e, started);
        }
    }

    private void send(RoutingContext context, RenderedConfig config, long started) {
        HttpServerResponse response = context.response();
        CharSequence etag = config.etagHeader();
        response.putHeader(HttpHeaders.ETAG, etag)
                .putHeader(HttpHeaders.CACHE_CONTROL, config.stale() ? NO_CACHE : cacheControl);
        String ifNoneMatch = context.request().getHeader(HttpHeaders.IF_NONE_MATCH);
        if (ifNoneMatch != null && EntityTags.matches(ifNoneMatch, etag.toString())) {
            response.setStatusCode(304).end();
        } else {
            // the kept bytes themselves, not a copy: a page load allocated its answer's bytes again only to write them
            response.putHeader(HttpHeaders.CONTENT_TYPE, JSON)
                    .end(Buffer.buffer(Unpooled.wrappedBuffer(config.body())));
        }
        timed(context, started);
    }

    /** A refusal as the REST layer's exception mappers answer it: a problem document with the request's id. */
    private void refuse(RoutingContext context, Throwable failure, long started) {
        if (context.response().ended()) {
            return;
        }
        RequestIds.logUnder(context);
        if (failure instanceof InvalidInputException invalid) {
            ProblemMappers.invalid(context, invalid);
        } else if (failure instanceof DatabaseUnavailableException || failure instanceof ServiceBusyException) {
            ProblemMappers.respond(context, 503, "Service unavailable", failure.getMessage(), null,
                    Map.of("Retry-After", retryAfter));
        } else {
            ProblemMappers.unexpected(context, failure);
        }
        timed(context, started);
    }
}
