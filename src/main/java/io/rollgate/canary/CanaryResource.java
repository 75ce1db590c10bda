package io.rollgate.canary;

import io.rollgate.audit.Reasons;
import io.rollgate.http.OpenApiDefinition;
import io.rollgate.security.Actors;
import io.rollgate.security.Roles;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Canary control: the services with deployments, and per service start, status, advance, pause, resume, rollback, history. */
@Path("/api/admin/canary")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Canary", description = "Staged releases of a service version")
@SecurityRequirement(name = "bearer")
@APIResponse(responseCode = "400", ref = OpenApiDefinition.BAD_REQUEST)
@APIResponse(responseCode = "401", ref = OpenApiDefinition.UNAUTHORIZED)
@APIResponse(responseCode = "403", ref = OpenApiDefinition.FORBIDDEN)
@APIResponse(responseCode = "503", ref = OpenApiDefinition.UNAVAILABLE)
public class CanaryResource {

    private static final String CHANGED = "The deployment after the change";

    private final CanaryService service;

    public CanaryResource(CanaryService service) {
        this.service = service;
    }

    @GET
    @RolesAllowed({ Roles.ADMIN, Roles.OPERATOR, Roles.VIEWER })
    @Operation(summary = "Every service with deployments", description = "Roles: admin, operator, viewer. By name: "
            + "its stable version (the latest completed) and the deployment in flight, if any, with its status "
            + "and percentage.")
    @APIResponse(responseCode = "200", description = "The services")
    public Uni<List<CanaryViews.ServiceEntry>> services() {
        return service.services();
    }

    @POST
    @Path("/{service}/deployments")
    @RolesAllowed({ Roles.ADMIN, Roles.OPERATOR })
    @Operation(summary = "Start a deployment: staged canary, or instant (straight to 100 %, for hotfixes)", description = "Roles: admin, operator. One deployment in flight per service; an instant deploy supersedes it.")
    @APIResponse(responseCode = "201", description = "Started")
    @APIResponse(responseCode = "409", description = "A deployment is already in flight")
    public Uni<Response> start(@PathParam("service") String name, CanaryViews.StartRequest request,
            @Context SecurityContext security) {
        Reasons.require(request == null ? null : request.reason());
        return service.start(name, request, Actors.of(security)).map(view -> Response.status(201).entity(view).build());
    }

    @GET
    @Path("/{service}")
    @RolesAllowed({ Roles.ADMIN, Roles.OPERATOR, Roles.VIEWER })
    @Operation(summary = "getCurrentDeployment, with the current stage's canary and stable metrics", description = "Roles: admin, operator, viewer.")
    @APIResponse(responseCode = "200", description = "The deployment in flight")
    @APIResponse(responseCode = "404", description = "No deployment in flight")
    public Uni<CanaryViews.DeploymentView> current(@PathParam("service") String name) {
        return service.current(name);
    }

    @GET
    @Path("/{service}/history")
    @RolesAllowed({ Roles.ADMIN, Roles.OPERATOR, Roles.VIEWER })
    @Operation(summary = "The last 10 deployments with their final metrics", description = "Roles: admin, operator, viewer.")
    @APIResponse(responseCode = "200", description = "Newest first")
    public Uni<List<CanaryViews.HistoryEntry>> history(@PathParam("service") String name) {
        return service.history(name);
    }

    @POST
    @Path("/{service}/advance")
    @RolesAllowed({ Roles.ADMIN, Roles.OPERATOR })
    @Operation(summary = "advanceCanaryStage: next stage now (or complete)", description = "Roles: admin, operator. "
            + "Only when the stage's criteria hold (its canary requests, error rate and time), unless force: true "
            + "(audited as canary.advance.forced).")
    @APIResponse(responseCode = "200", description = CHANGED)
    @APIResponse(responseCode = "404", description = "No deployment in flight")
    @APIResponse(responseCode = "409", description = "Criteria unmet (listed in unmetCriteria), paused, or changed "
            + "concurrently or since rowVersion")
    public Uni<CanaryViews.DeploymentView> advance(@PathParam("service") String name, CanaryViews.ActionRequest request,
            @Context SecurityContext security) {
        boolean force = request != null && Boolean.TRUE.equals(request.force());
        return service.advance(name, reason(request), expected(request), force, Actors.of(security));
    }

    @POST
    @Path("/{service}/pause")
    @RolesAllowed({ Roles.ADMIN, Roles.OPERATOR })
    @Operation(summary = "pauseDeployment: hold the current stage; automation leaves it alone", description = "Roles: admin, operator.")
    @APIResponse(responseCode = "200", description = CHANGED)
    @APIResponse(responseCode = "404", description = "No deployment in flight")
    @APIResponse(responseCode = "409", description = "Not active, or changed since rowVersion")
    public Uni<CanaryViews.DeploymentView> pause(@PathParam("service") String name, CanaryViews.ActionRequest request,
            @Context SecurityContext security) {
        return service.pause(name, reason(request), expected(request), Actors.of(security));
    }

    @POST
    @Path("/{service}/resume")
    @RolesAllowed({ Roles.ADMIN, Roles.OPERATOR })
    @Operation(summary = "resumeDeployment: the stage's clock starts again", description = "Roles: admin, operator.")
    @APIResponse(responseCode = "200", description = CHANGED)
    @APIResponse(responseCode = "404", description = "No deployment in flight")
    @APIResponse(responseCode = "409", description = "Not paused, or changed since rowVersion")
    public Uni<CanaryViews.DeploymentView> resume(@PathParam("service") String name, CanaryViews.ActionRequest request,
            @Context SecurityContext security) {
        return service.resume(name, reason(request), expected(request), Actors.of(security));
    }

    @POST
    @Path("/{service}/rollback")
    @RolesAllowed({ Roles.ADMIN, Roles.OPERATOR })
    @Operation(summary = "rollbackDeployment {reason}: everyone back on the stable version", description = "Roles: admin, operator.")
    @APIResponse(responseCode = "200", description = CHANGED)
    @APIResponse(responseCode = "404", description = "No deployment in flight")
    @APIResponse(responseCode = "409", description = "Changed since rowVersion")
    public Uni<CanaryViews.DeploymentView> rollback(@PathParam("service") String name,
            CanaryViews.ActionRequest request, @Context SecurityContext security) {
        return service.rollback(name, reason(request), expected(request), Actors.of(security));
    }

    private static Long expected(CanaryViews.ActionRequest request) {
        return request == null ? null : request.rowVersion();
    }

    private static String reason(CanaryViews.ActionRequest request) {
        return Reasons.require(request == null ? null : request.reason());
    }

}
