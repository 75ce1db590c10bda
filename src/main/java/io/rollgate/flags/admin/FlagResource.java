package io.rollgate.flags.admin;

import io.rollgate.audit.Reasons;
import io.rollgate.http.OpenApiDefinition;
import io.rollgate.http.Paging;
import io.rollgate.security.Actors;
import io.rollgate.security.Roles;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
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
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Flag management: any team's flags, with rules, a percentage ramp and prerequisites. */
@Path("/api/admin/flags")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Flag management", description = "Create, target, ramp and delete flags")
@SecurityRequirement(name = "bearer")
@APIResponse(responseCode = "400", ref = OpenApiDefinition.BAD_REQUEST)
@APIResponse(responseCode = "401", ref = OpenApiDefinition.UNAUTHORIZED)
@APIResponse(responseCode = "403", ref = OpenApiDefinition.FORBIDDEN)
@APIResponse(responseCode = "503", ref = OpenApiDefinition.UNAVAILABLE)
public class FlagResource {

    /** Larger pages than this are refused; deeper than {@link Paging#MAX_PAGE}: filter by group instead. */
    static final int MAX_PAGE_SIZE = 500;

    private final FlagService service;

    public FlagResource(FlagService service) {
        this.service = service;
    }

    /** The percentage-only update. */
    @io.quarkus.runtime.annotations.RegisterForReflection
    public record PercentageRequest(Integer rolloutPercentage, Long version,
            @Schema(description = Reasons.DESCRIPTION, required = true, minLength = 1, maxLength = Reasons.MAX_LENGTH) String reason) {
    }

    @POST
    @RolesAllowed({ Roles.ADMIN, Roles.OPERATOR })
    @Operation(summary = "Create a flag", description = "Roles: admin, operator. Bumps the catalog version; audited.")
    @APIResponse(responseCode = "201", description = "Created")
    @APIResponse(responseCode = "409", description = "The name is taken")
    public Uni<Response> create(FlagRequest request, @Context SecurityContext security) {
        Reasons.require(request == null ? null : request.reason());
        return service.create(request, Actors.of(security)).map(view -> Response.status(201).entity(view).build());
    }

    @GET
    @RolesAllowed({ Roles.ADMIN, Roles.OPERATOR, Roles.VIEWER })
    @Operation(summary = "List flags, optionally of one group or phase, paged, with the catalog version", description = "Roles: admin, operator, viewer.")
    @APIResponse(responseCode = "200", description = "One page of flags")
    public FlagPage list(@QueryParam("group") String group, @QueryParam("page") @DefaultValue("0") int page,
            @QueryParam("size") @DefaultValue("100") int size) {
        Paging.check(page, size, MAX_PAGE_SIZE);
        return service.list(group, page, size);
    }

    @GET
    @Path("/{name}")
    @RolesAllowed({ Roles.ADMIN, Roles.OPERATOR, Roles.VIEWER })
    @Operation(summary = "One flag, by key or rollout name", description = "Roles: admin, operator, viewer.")
    @APIResponse(responseCode = "200", description = "The flag")
    @APIResponse(responseCode = "404", description = "No such flag")
    public FlagView get(@PathParam("name") String name) {
        return service.get(name);
    }

    @PUT
    @Path("/{name}")
    @RolesAllowed({ Roles.ADMIN, Roles.OPERATOR })
    @Operation(summary = "Replace a flag's definition", description = "Roles: admin, operator. Send the version last read: a stale one is refused with 409.")
    @APIResponse(responseCode = "200", description = "Updated")
    @APIResponse(responseCode = "404", description = "No such flag")
    @APIResponse(responseCode = "409", description = "Stale version")
    public Uni<FlagView> update(@PathParam("name") String name, FlagRequest request,
            @Context SecurityContext security) {
        Reasons.require(request == null ? null : request.reason());
        return service.update(name, request, Actors.of(security));
    }

    @PUT
    @Path("/{name}/rollout-percentage")
    @RolesAllowed({ Roles.ADMIN, Roles.OPERATOR })
    @Operation(summary = "updateRolloutPercentage", description = "Roles: admin, operator. 0-100; audited.")
    @APIResponse(responseCode = "200", description = "Updated")
    @APIResponse(responseCode = "404", description = "No such flag")
    @APIResponse(responseCode = "409", description = "Stale version")
    public Uni<FlagView> percentage(@PathParam("name") String name, PercentageRequest request,
            @Context SecurityContext security) {
        Reasons.require(request == null ? null : request.reason());
        return service.updateRolloutPercentage(name, request.rolloutPercentage(), request.version(), request.reason(),
                Actors.of(security));
    }

    @DELETE
    @Path("/{name}")
    @RolesAllowed({ Roles.ADMIN, Roles.OPERATOR })
    @Operation(summary = "Delete a flag (and its rollout)", description = "Roles: admin, operator. Refused with 409 while other flags name it as a prerequisite.")
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "404", description = "No such flag")
    @APIResponse(responseCode = "409", description = "Still a prerequisite of other flags, or a stale version")
    public Uni<Void> delete(@PathParam("name") String name, @QueryParam("version") Long version,
            @QueryParam("reason") @Parameter(description = Reasons.DESCRIPTION, required = true) String reason,
            @Context SecurityContext security) {
        return service.delete(name, version, Reasons.require(reason), Actors.of(security));
    }

}
