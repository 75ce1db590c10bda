package io.rollgate.canary;

import io.rollgate.http.OpenApiDefinition;
import io.rollgate.security.Roles;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** What proxies call per request: where to route a user, and the outcomes to report back. */
@Path("/api/canary/{service}")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Canary traffic", description = "Routing decisions (public) and request metrics (ingest)")
public class CanaryTrafficResource {

    private final CanaryRouting routing;
    private final CanaryTraffic traffic;

    public CanaryTrafficResource(CanaryRouting routing, CanaryTraffic traffic) {
        this.routing = routing;
        this.traffic = traffic;
    }

    @GET
    @Path("/route")
    @Operation(summary = "shouldRouteToCanary", description = "Public, answered from memory. Sticky per userId (monotonic as the percentage grows); "
            + "without one, a random split per request (sticky: false). No deployment in flight: stable.")
    @APIResponse(responseCode = "200", description = "The decision and the version to serve")
    @APIResponse(responseCode = "400", ref = OpenApiDefinition.BAD_REQUEST)
    public Uni<CanaryViews.RouteView> route(@PathParam("service") String name, @QueryParam("userId") String userId) {
        return routing.route(name, userId);
    }

    @POST
    @Path("/requests")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({ Roles.INGEST, Roles.ADMIN })
    @SecurityRequirement(name = "bearer")
    @Operation(summary = "recordCanaryRequest, in batches of up to 10,000 outcomes", description = "Roles: ingest, admin. Counted against the deployment's current stage, canary and stable "
            + "apart; latency goes into a histogram (p95 from counts).")
    @APIResponse(responseCode = "200", description = "Recorded")
    @APIResponse(responseCode = "400", ref = OpenApiDefinition.BAD_REQUEST)
    @APIResponse(responseCode = "401", ref = OpenApiDefinition.UNAUTHORIZED)
    @APIResponse(responseCode = "403", ref = OpenApiDefinition.FORBIDDEN)
    @APIResponse(responseCode = "409", description = "No deployment in flight, or not the one named")
    @APIResponse(responseCode = "503", ref = OpenApiDefinition.UNAVAILABLE)
    public Uni<CanaryViews.RecordResult> record(@PathParam("service") String name, CanaryViews.RequestBatch batch) {
        return traffic.record(name, batch);
    }
}
