package bench;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.charset.StandardCharsets;

/**
 * The floor under any widget endpoint: a bare Vert.x route that writes the same widget-config-sized bytes,
 * serialized once at start, with no REST layer, lookup, filter or metric. What the HTTP server alone costs.
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
    }
}
