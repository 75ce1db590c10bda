package io.rollgate.http;

import io.quarkus.vertx.http.runtime.security.SecurityHandlerPriorities;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Singleton;

/**
 * The router's edge filters as one step, for a route that runs ahead of them: the widget config's, which answers
 * anyone and so has no use for the authentication Quarkus prepares on every request before the routes (a lazy
 * identity and the context it propagates: about 5 % of a page load's CPU). The rules are the filters' own, in the
 * filters' order: the request id, the declared body's size, then CORS and the per-client rate limit. The id goes
 * into the log context where the route may log ({@link RequestIds#logUnder}): sending a kept answer logs nothing.
 * <p>
 * It and two of the rules it applies are singletons, as the services on the page load's path are: called on every
 * page load, a client proxy would look its bean up on every call. The body limit stays behind its proxy: the REST
 * layer's body size interceptor is made while Quarkus starts, before the configuration the limit reads is there.
 */
@Singleton
public class EdgeRules {

    /**
     * The order of a route ahead of Quarkus's authentication and of the edge filters (a filter's route order is
     * minus its priority), behind Quarkus's own CORS filter were it ever turned on.
     */
    public static final int AHEAD_OF_AUTHENTICATION = -(SecurityHandlerPriorities.AUTHENTICATION + 50);

    private final RequestIds requestIds;
    private final BodyLimitFilter bodyLimit;
    private final EdgeFilter edge;

    public EdgeRules(RequestIds requestIds, BodyLimitFilter bodyLimit, EdgeFilter edge) {
        this.requestIds = requestIds;
        this.bodyLimit = bodyLimit;
        this.edge = edge;
    }

    /** Applies every rule: whether the request may go on (when not, it has been answered, as the filters answer). */
    public boolean admit(RoutingContext context) {
        requestIds.tag(context);
        return bodyLimit.admits(context) && edge.admits(context);
    }
}
