package io.rollgate.http;

import io.quarkus.vertx.http.runtime.filters.Filters;
import io.quarkus.vertx.http.runtime.security.HttpSecurityRecorder.DefaultAuthFailureHandler;
import io.quarkus.vertx.http.runtime.security.QuarkusHttpUser;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Leaves a failed authentication to the REST layer alone, without the framework working out the request's path
 * template first. With HTTP metrics on, Quarkus REST does that on every request, for the metrics of an
 * authentication failure that never reaches an endpoint, and builds a mapper of every resource to do it: about 8 %
 * of the widget config's CPU in a profile under load. Authentication here happens only when an endpoint asks for it
 * ({@code quarkus.http.auth.proactive=false}, no path policies), so a failure always happens inside an endpoint,
 * where the REST layer maps it to a problem document and names the template for the metrics itself.
 * <p>
 * The handler is removed, not replaced: Quarkus REST drops its own handler when an endpoint starts, so that a
 * failure is answered by the endpoint's mappers alone. A handler of ours in its place would fail the routing
 * context as well, and the same 401 would be written twice ("Response has already been written", logged as an
 * error for every request with a wrong token).
 */
@ApplicationScoped
public class AuthFailures {

    void register(@Observes Filters filters) {
        // after authentication puts the default handler in place, before Quarkus REST replaces it (priority 199)
        filters.register(this::remove, 200);
    }

    void remove(RoutingContext context) {
        if (context.get(QuarkusHttpUser.AUTH_FAILURE_HANDLER) instanceof DefaultAuthFailureHandler) {
            context.remove(QuarkusHttpUser.AUTH_FAILURE_HANDLER);
        }
        context.next();
    }
}
