package bench;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.charset.StandardCharsets;

/**
 * The floor under any widget endpoint: a bare Vert.x route that writes the same widget-config-sized bytes,
 * serialized once at start, with no REST layer, lookup, filter or metric. What the HTTP server alone costs; beside
 * it, the same route made to work a known time per request.
 */
@ApplicationScoped
public class BareRoute {

    private static final CharSequence JSON = HttpHeaders.createOptimized("application/json");

    private final byte[] body = ("{\"sessionPersistence\":{\"phase1\":{\"autoRestore\":true,\"crossTabSync\":true,"
            + "\"sessionTimeout\":true,\"visibilityHandling\":true},\"phase2\":{\"enhancedStorage\":true,"
            + "\"retryLogic\":false,\"offlineMode\":false,\"compression\":false},\"phase3\":{\"analytics\":false,"
            + "\"performanceMode\":false,\"predictivePrefetch\":false,\"experimentalSync\":false}},\"evaluation\":"
            + "{\"source\":\"customer_override\",\"evaluatedAt\":\"2026-12-06T09:00:00.000Z\",\"environment\":"
            + "\"production\",\"customerId\":\"customer-1234\",\"organizationId\":\"org-12\",\"stale\":false}}")
            .getBytes(StandardCharsets.UTF_8);

    void register(@Observes Router router) {
        router.get("/bare/widget/config").handler(context -> context.response()
                .putHeader(HttpHeaders.CONTENT_TYPE, JSON).end(Buffer.buffer(body)));
        // the same route with a known amount of work before the write, 1 to 6 us of the CPU (bench/budget.sh): what
        // a share of the bare route's throughput allows a real route to add to writing its bytes
        for (int micros = 1; micros <= 6; micros++) {
            long work = micros * 1_000L;
            router.get("/bare/widget/config/plus-" + micros + "us").handler(context -> {
                busy(work);
                context.response().putHeader(HttpHeaders.CONTENT_TYPE, JSON).end(Buffer.buffer(body));
            });
        }
    }

    /** Keeps the event loop's thread on the CPU for {@code nanos}, as work of the route's own would. */
    private static void busy(long nanos) {
        long end = System.nanoTime() + nanos;
        while (System.nanoTime() < end) {
            Thread.onSpinWait();
        }
    }
}
