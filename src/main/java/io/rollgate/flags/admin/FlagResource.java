package io.rollgate.flags.admin;

import io.rollgate.audit.Reasons;
import io.rollgate.errors.InvalidInputException;
import io.rollgate.flags.code.ConfigurationDocument;
import io.rollgate.flags.code.ConfigurationPlan;
import io.rollgate.flags.code.ConfigurationService;
import io.rollgate.flags.hygiene.FlagHygiene;
import io.rollgate.flags.hygiene.PermanentRequest;
import io.rollgate.http.OpenApiDefinition;
import io.rollgate.http.Paging;
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
import java.util.List;
import java.util.Set;
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
    private final ConfigurationService configurations;
    private final FlagHygiene hygiene;

    public FlagResource(FlagService service, ConfigurationService configurations, FlagHygiene hygiene) {
        this.hygiene = hygiene;
        this.configurations = configurations;
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
        return service.create(request, actor(security)).map(view -> Response.status(201).entity(view).build());
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
    @Path("/configuration")
    @RolesAllowed({ Roles.ADMIN, Roles.OPERATOR, Roles.VIEWER })
    @Operation(summary = "The flag configuration document: {flags: {name: flag}, lastUpdated, version}", description = "Roles: admin, operator, viewer. Flags sorted by key, each with its definition only (no "
            + "version or timestamps), so an unchanged catalog exports identically and diffs cleanly in Git.")
    @APIResponse(responseCode = "200", description = "Every flag by name")
    public ConfigurationDocument configuration() {
        return configurations.export();
    }

    @PUT
    @Path("/configuration")
    @RolesAllowed({ Roles.ADMIN, Roles.OPERATOR })
    @Operation(summary = "Apply a configuration document: make the catalog match it", description = "Roles: admin, operator. Creates and updates the flags the document names (and, with "
            + "prune=true, deletes those it does not: widget flags and flags with a rollout under way only "
            + "when listed in pruneAlso), in one transaction with one audit entry per changed flag and the "
            + "document's reason. With the catalog version the document was read at, a changed catalog is "
            + "409. dryRun=true answers the plan and changes nothing. Every problem of the document is "
            + "reported at once (400) and nothing is applied.")
    @APIResponse(responseCode = "200", description = "The plan: created, updated (field by field), deleted, "
            + "unchanged, and whether it was applied")
    @APIResponse(responseCode = "409", description = "The catalog changed since the document's version")
    public Uni<ConfigurationPlan> apply(ConfigurationDocument document,
            @QueryParam("dryRun") @DefaultValue("false") boolean dryRun,
            @QueryParam("prune") @DefaultValue("false") boolean prune,
            @QueryParam("pruneAlso") List<String> pruneAlso, @Context SecurityContext security) {
        if (!dryRun) {
            Reasons.require(document == null ? null : document.reason());
        }
        return configurations.apply(document, prune, pruneAlso == null ? Set.of() : Set.copyOf(pruneAlso), dryRun,
                actor(security));
    }

    @PUT
    @Path("/{name}/permanent")
    @RolesAllowed({ Roles.ADMIN, Roles.OPERATOR })
    @Operation(summary = "Mark a flag permanent (a kill switch meant to stay) or not", description = "Roles: admin, operator. A permanent flag is never reported potentially stale. Audited as "
            + "flag.permanent.")
    @APIResponse(responseCode = "200", description = "The flag's hygiene: permanent, last evaluated, stale reason")
    @APIResponse(responseCode = "404", description = "No such flag")
    public Uni<FlagHygiene.State> permanent(@PathParam("name") String name, PermanentRequest request,
            @Context SecurityContext security) {
        Reasons.require(request == null ? null : request.reason());
        if (request.permanent() == null) {
            throw new InvalidInputException("permanent", "is required: true or false");
        }
        return hygiene.setPermanent(name, request.permanent(), request.reason(), actor(security));
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
        return service.update(name, request, actor(security));
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
                actor(security));
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
        return service.delete(name, version, Reasons.require(reason), actor(security));
    }

    private static String actor(SecurityContext security) {
        return security.getUserPrincipal().getName();
    }
}
