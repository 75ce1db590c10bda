package io.rollgate.http;

import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.MultiMap;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * How the admin UI's files are served. They have no versioned names, so a browser revalidates them on every load
 * (an upgrade shows at once, not a day later); the policy allows scripts, styles and calls from the service
 * itself only (no inline script, no framing by another site), since the UI holds an admin token.
 */
@ApplicationScoped
public class AdminUiHeaders {

    static final String POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    void register(@Observes Filters filters) {
        filters.register(this::headers, 50);
    }

    void headers(RoutingContext context) {
        if (context.normalizedPath().startsWith("/admin")) {
            // set when the answer is written, over the static handler's own long-lived caching
            context.addHeadersEndHandler(ignored -> {
                MultiMap headers = context.response().headers();
                headers.set("Cache-Control", "no-cache");
                headers.set("Content-Security-Policy", POLICY);
                headers.set("X-Frame-Options", "DENY");
                headers.set("X-Content-Type-Options", "nosniff");
                headers.set("Referrer-Policy", "no-referrer");
            });
        }
        context.next();
    }
}
