package io.rollgate.http;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.http.Outcome;
import io.vertx.core.http.HttpMethod;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The HTTP server's request timer ({@code http_server_requests_seconds}, with the tags and latency buckets the
 * dashboard reads) for a route that the server's own metrics are told to leave alone. Those put every 3xx answer
 * under {@code uri="REDIRECTION"}, so a page load answered 304 (an unchanged configuration, revalidated) never
 * showed under the route's path; and they build the tags and look the timer up by them on every request. Here a
 * route's answers are all under its path, by method and status; the page load's timer (GET, 200) is looked up once,
 * any other once each. A request is timed from its route's handler to the end of its answer.
 */
public final class RouteTimer {

    private final MeterRegistry registry;
    private final String uri;
    private final Timer pageLoad;
    private final Map<String, Timer> others = new ConcurrentHashMap<>();

    public RouteTimer(MeterRegistry registry, String uri) {
        this.registry = registry;
        this.uri = uri;
        this.pageLoad = timer(HttpMethod.GET.name(), 200);
    }

    /** Records a request answered with {@code status}, begun at {@code startedAt} ({@link System#nanoTime()}). */
    public void record(HttpMethod method, int status, long startedAt) {
        long took = System.nanoTime() - startedAt;
        Timer timer = status == 200 && HttpMethod.GET.equals(method)
                ? pageLoad
                : others.computeIfAbsent(method.name() + ' ' + status, key -> timer(method.name(), status));
        timer.record(took, TimeUnit.NANOSECONDS);
    }

    private Timer timer(String method, int status) {
        // the server's own tags, so the route's series are the ones its requests had before
        return Timer.builder(HttpMetricsConfig.SERVER_REQUESTS).tag("method", method).tag("uri", uri)
                .tag("status", Integer.toString(status)).tag("outcome", Outcome.forStatus(status).name())
                .register(registry);
    }
}
