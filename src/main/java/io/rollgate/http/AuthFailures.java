package io.rollgate.http;

import io.quarkus.vertx.http.runtime.filters.Filters;
import io.quarkus.vertx.http.runtime.security.HttpSecurityRecorder.DefaultAuthFailureHandler;
import io.quarkus.vertx.http.runtime.security.QuarkusHttpUser;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.function.BiConsumer;

/**
 * Sends a failed authentication into the REST layer, where the problem mappers answer it, without the framework
 * working out the request's path template first. With HTTP metrics on, Quarkus REST does that on every request,
 * for the metrics of an authentication failure that never reaches an endpoint, and builds a mapper of every
 * resource to do it: about 8 % of the widget config's CPU in a profile under load. Authentication here happens
 * only when an endpoint asks for it ({@code quarkus.http.auth.proactive=false}, no path policies), so a failure
 * always happens inside an endpoint, whose template the REST layer names for the metrics itself.
 */
@ApplicationScoped
public class AuthFailures {

    /** What Quarkus REST installs in place of the default handler, without the template lookup. */
    private static final BiConsumer<RoutingContext, Throwable> INTO_THE_REST_LAYER = (context, failure) -> {
        DefaultAuthFailureHandler.markIfOtherAuthenticationFailure(context, failure);
        if (!context.failed()) {
            context.fail(DefaultAuthFailureHandler.extractRootCause(failure));
        }
    };

    void register(@Observes Filters filters) {
        // after authentication puts the default handler in place, before Quarkus REST replaces it (priority 199)
        filters.register(this::replace, 200);
    }

    void replace(RoutingContext context) {
        if (context.get(QuarkusHttpUser.AUTH_FAILURE_HANDLER) instanceof DefaultAuthFailureHandler) {
            context.put(QuarkusHttpUser.AUTH_FAILURE_HANDLER, INTO_THE_REST_LAYER);
        }
        context.next();
    }
}
