package io.rollgate.rollouts;

import io.rollgate.audit.Reasons;
import io.rollgate.http.OpenApiDefinition;
import io.rollgate.security.Actors;
import io.rollgate.security.Roles;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The rollout API: the rollout manager as endpoints. {featureName} takes a flag path or its rollout name;
 * refusals are 409 with the unmet criteria.
 */
@Path("/api/admin")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Rollouts", description = "Tiered pilot rollouts: lifecycle, statistics, decisions")
@SecurityRequirement(name = "bearer")
@APIResponse(responseCode = "400", ref = OpenApiDefinition.BAD_REQUEST)
@APIResponse(responseCode = "401", ref = OpenApiDefinition.UNAUTHORIZED)
@APIResponse(responseCode = "403", ref = OpenApiDefinition.FORBIDDEN)
@APIResponse(responseCode = "503", ref = OpenApiDefinition.UNAVAILABLE)
public class RolloutResource {

    private static final String RESULT = "The rollout after the change";
    private static final String REFUSED = "Refused by the rollout's state or criteria (unmetCriteria lists them), "
            + "or changed concurrently";

    private final RolloutService service;

    public RolloutResource(RolloutService service) {
        this.service = service;
    }

    @POST
    @Path("/rollouts")
    @RolesAllowed({ Roles.ADMIN, Roles.OPERATOR })
    @Operation(summary = "Create a rollout (draft, tier 0)", description = "Roles: admin, operator.")
    @APIResponse(responseCode = "201", description = "Created")
    @APIResponse(responseCode = "409", description = "The flag already has a rollout")
    public Uni<Response> create(RolloutRequests.Create request, @Context SecurityContext security) {
        Reasons.require(request == null ? null : request.reason());
        return service.create(request, Actors.of(security))
                .map(view -> Response.status(201).entity(view).build());
    }

    @GET
    @Path("/rollouts")
    @RolesAllowed({ Roles.ADMIN, Roles.OPERATOR, Roles.VIEWER })
    @Operation(summary = "Every rollout", description = "Roles: admin, operator, viewer.")
    @APIResponse(responseCode = "200", description = "The rollouts")
    public Uni<List<RolloutView>> list() {
        return service.list();
    }

    @GET
    @Path("/rollouts/{featureName}")
    @RolesAllowed({ Roles.ADMIN, Roles.OPERATOR, Roles.VIEWER })
    @Operation(summary = "getRolloutConfig: one rollout", description = "Roles: admin, operator, viewer.")
    @APIResponse(responseCode = "200", description = "The rollout")
    @APIResponse(responseCode = "404", description = "Unknown flag, or no rollout for it")
    public Uni<RolloutView> get(@PathParam("featureName") String featureName) {
        return service.get(featureName);
    }

    @GET
    @Path("/rollouts/{featureName}/stats")
    @RolesAllowed({ Roles.ADMIN, Roles.OPERATOR, Roles.VIEWER })
    @Operation(summary = "getRolloutStats: counts and rates over the rollout's window, with the criteria", description = "Roles: admin, operator, viewer.")
    @APIResponse(responseCode = "200", description = "The statistics")
    @APIResponse(responseCode = "404", description = "Unknown flag, or no rollout for it")
    public Uni<RolloutStatsView> stats(@PathParam("featureName") String featureName) {
        return service.stats(featureName);
    }

    @GET
    @Path("/rollout-stats")
    @RolesAllowed({ Roles.ADMIN, Roles.OPERATOR, Roles.VIEWER })
    @Operation(summary = "The statistics of every rollout at once, with their criteria", description = "Roles: admin, operator, viewer. The same figures as each rollout's /stats, in one request.")
    @APIResponse(responseCode = "200", description = "One entry per rollout")
    @APIResponse(responseCode = "503", ref = OpenApiDefinition.UNAVAILABLE)
    public Uni<List<RolloutStatsView>> allStats() {
        return service.allStats();
    }

    @GET
    @Path("/rollouts/{featureName}/timeline")
    @RolesAllowed({ Roles.ADMIN, Roles.OPERATOR, Roles.VIEWER })
    @Operation(summary = "Events per minute (enabled, disabled, success, error) for charts", description = "Roles: admin, operator, viewer. minutes: 1-1440, default 60.")
    @APIResponse(responseCode = "200", description = "One point per minute that had events, oldest first")
    @APIResponse(responseCode = "404", description = "Unknown flag, or no rollout for it")
    public Uni<List<Map<String, Object>>> timeline(@PathParam("featureName") String featureName,
            @QueryParam("minutes") @jakarta.ws.rs.DefaultValue("60") int minutes) {
        if (minutes < 1 || minutes > 1440) {
            throw new io.rollgate.errors.InvalidInputException("minutes", "must be 1 to 1440");
        }
        return service.timeline(featureName, minutes);
    }

    @GET
    @Path("/rollouts/{featureName}/decision")
    @RolesAllowed({ Roles.ADMIN, Roles.OPERATOR, Roles.VIEWER })
    @Operation(summary = "shouldEnableFeature: the rollout's decision for a customer, with its reason", description = "Roles: admin, operator, viewer.")
    @APIResponse(responseCode = "200", description = "The decision")
    @APIResponse(responseCode = "404", description = "Unknown flag, or no rollout for it")
    public DecisionView decision(@PathParam("featureName") String featureName,
            @QueryParam("customerId") String customerId) {
        return service.decide(featureName, customerId);
    }

    @POST
    @Path("/rollouts/{featureName}/start")
    @RolesAllowed({ Roles.ADMIN, Roles.OPERATOR })
    @Operation(summary = "Start: tier 1, whitelisted customers only", description = "Roles: admin, operator.")
    @APIResponse(responseCode = "200", description = RESULT)
    @APIResponse(responseCode = "409", description = REFUSED)
    public Uni<RolloutView> start(@PathParam("featureName") String featureName, RolloutRequests.Action request,
            @Context SecurityContext security) {
        return service.start(featureName, change(request, security));
    }

    @POST
    @Path("/rollouts/{featureName}/advance")
    @RolesAllowed({ Roles.ADMIN, Roles.OPERATOR })
    @Operation(summary = "Advance one tier", description = "Roles: admin, operator. Needs minSamples outcome events, error rate below the threshold, success "
            + "rate above 95 % and the minimum time in tier, unless force: true (reason required, audited "
            + "as forced).")
    @APIResponse(responseCode = "200", description = RESULT)
    @APIResponse(responseCode = "409", description = REFUSED)
    public Uni<RolloutView> advance(@PathParam("featureName") String featureName, RolloutRequests.Action request,
            @Context SecurityContext security) {
        return service.advance(featureName, force(request), change(request, security));
    }

    @POST
    @Path("/rollouts/{featureName}/pause")
    @RolesAllowed({ Roles.ADMIN, Roles.OPERATOR })
    @Operation(summary = "Pause: keep the current tier, stop advancing and automatic checks", description = "Roles: admin, operator.")
    @APIResponse(responseCode = "200", description = RESULT)
    @APIResponse(responseCode = "409", description = REFUSED)
    public Uni<RolloutView> pause(@PathParam("featureName") String featureName, RolloutRequests.Action request,
            @Context SecurityContext security) {
        return service.pause(featureName, change(request, security));
    }

    @POST
    @Path("/rollouts/{featureName}/resume")
    @RolesAllowed({ Roles.ADMIN, Roles.OPERATOR })
    @Operation(summary = "Resume a paused rollout", description = "Roles: admin, operator.")
    @APIResponse(responseCode = "200", description = RESULT)
    @APIResponse(responseCode = "409", description = REFUSED)
    public Uni<RolloutView> resume(@PathParam("featureName") String featureName, RolloutRequests.Action request,
            @Context SecurityContext security) {
        return service.resume(featureName, change(request, security));
    }

    @POST
    @Path("/rollouts/{featureName}/rollback")
    @RolesAllowed({ Roles.ADMIN, Roles.OPERATOR })
    @Operation(summary = "Roll back: tier 0, off for every customer on the next read", description = "Roles: admin, operator.")
    @APIResponse(responseCode = "200", description = RESULT)
    @APIResponse(responseCode = "409", description = REFUSED)
    public Uni<RolloutView> rollback(@PathParam("featureName") String featureName, RolloutRequests.Action request,
            @Context SecurityContext security) {
        return service.rollback(featureName, change(request, security));
    }

    @POST
    @Path("/rollouts/{featureName}/restart")
    @RolesAllowed({ Roles.ADMIN, Roles.OPERATOR })
    @Operation(summary = "Restart a rolled-back rollout from tier 1", description = "Roles: admin, operator.")
    @APIResponse(responseCode = "200", description = RESULT)
    @APIResponse(responseCode = "409", description = REFUSED)
    public Uni<RolloutView> restart(@PathParam("featureName") String featureName, RolloutRequests.Action request,
            @Context SecurityContext security) {
        return service.restart(featureName, change(request, security));
    }

    @PUT
    @Path("/rollouts/{featureName}")
    @RolesAllowed({ Roles.ADMIN, Roles.OPERATOR })
    @Operation(summary = "Replace a rollout's configuration with the body GET answered, changed", description = "Roles: admin, operator. Takes the lists and the policy; the state fields (tier, status, "
            + "times, counts, history, alias, rollbackThreshold) move only by the actions and are ignored, and "
            + "featureName must name this rollout. A body sent back unchanged changes and audits nothing; otherwise "
            + "audited as rollout.update with the rollout before and after.")
    @APIResponse(responseCode = "200", description = RESULT)
    @APIResponse(responseCode = "404", description = "No such flag, or it has no rollout")
    @APIResponse(responseCode = "409", description = "Stale version")
    public Uni<RolloutView> replace(@PathParam("featureName") String featureName, RolloutRequests.Replace request,
            @Context SecurityContext security) {
        Reasons.require(request == null ? null : request.reason());
        return service.replace(featureName, request, Actors.of(security));
    }

    @PUT
    @Path("/rollouts/{featureName}/lists")
    @RolesAllowed({ Roles.ADMIN, Roles.OPERATOR })
    @Operation(summary = "Replace the whitelist and blacklist", description = "Roles: admin, operator.")
    @APIResponse(responseCode = "200", description = RESULT)
    @APIResponse(responseCode = "409", description = REFUSED)
    public Uni<RolloutView> lists(@PathParam("featureName") String featureName, RolloutRequests.Lists request,
            @Context SecurityContext security) {
        Reasons.require(request == null ? null : request.reason());
        return service.updateLists(featureName, request, Actors.of(security));
    }

    @PUT
    @Path("/rollouts/{featureName}/policy")
    @RolesAllowed({ Roles.ADMIN, Roles.OPERATOR })
    @Operation(summary = "Replace the rollout's policy (pause band, rollback threshold, fast track, automatic advance)", description = "Roles: admin, operator. Values left out come from the service's defaults; audited as "
            + "rollout.policy with the policy before and after.")
    @APIResponse(responseCode = "200", description = RESULT)
    @APIResponse(responseCode = "409", description = REFUSED)
    public Uni<RolloutView> policy(@PathParam("featureName") String featureName, RolloutRequests.PolicyChange request,
            @Context SecurityContext security) {
        Reasons.require(request == null ? null : request.reason());
        return service.updatePolicy(featureName, request, Actors.of(security));
    }

    @POST
    @Path("/rollout/advance")
    @RolesAllowed({ Roles.ADMIN, Roles.OPERATOR })
    @Operation(summary = "advance {featureName}", description = "Roles: admin, operator. As /rollouts/{featureName}/advance.")
    @APIResponse(responseCode = "200", description = RESULT)
    @APIResponse(responseCode = "409", description = REFUSED)
    public Uni<RolloutView> seedAdvance(RolloutRequests.Action request, @Context SecurityContext security) {
        return service.advance(request == null ? null : request.featureName(), force(request),
                change(request, security));
    }

    @POST
    @Path("/rollout/rollback")
    @RolesAllowed({ Roles.ADMIN, Roles.OPERATOR })
    @Operation(summary = "rollback {featureName, reason}", description = "Roles: admin, operator. As /rollouts/{featureName}/rollback.")
    @APIResponse(responseCode = "200", description = RESULT)
    @APIResponse(responseCode = "409", description = REFUSED)
    public Uni<RolloutView> seedRollback(RolloutRequests.Action request, @Context SecurityContext security) {
        return service.rollback(request == null ? null : request.featureName(), change(request, security));
    }

    private static RolloutService.Change change(RolloutRequests.Action request, SecurityContext security) {
        String reason = Reasons.require(request == null ? null : request.reason());
        return new RolloutService.Change(Actors.of(security), reason, request == null ? null : request.version());
    }

    private static boolean force(RolloutRequests.Action request) {
        return request != null && Boolean.TRUE.equals(request.force());
    }

}
