package io.rollgate.flags.code;

import io.rollgate.audit.Reasons;
import io.rollgate.http.OpenApiDefinition;
import io.rollgate.security.Actors;
import io.rollgate.security.Roles;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import java.util.List;
import java.util.Set;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Flags as code: the whole catalog as one document, read and applied. */
@Path("/api/admin/flags/configuration")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Flag management", description = "Create, target, ramp and delete flags")
@SecurityRequirement(name = "bearer")
@APIResponse(responseCode = "400", ref = OpenApiDefinition.BAD_REQUEST)
@APIResponse(responseCode = "401", ref = OpenApiDefinition.UNAUTHORIZED)
@APIResponse(responseCode = "403", ref = OpenApiDefinition.FORBIDDEN)
@APIResponse(responseCode = "503", ref = OpenApiDefinition.UNAVAILABLE)
public class ConfigurationResource {

    private final ConfigurationService configurations;

    public ConfigurationResource(ConfigurationService configurations) {
        this.configurations = configurations;
    }

    @GET
    @RolesAllowed({ Roles.ADMIN, Roles.OPERATOR, Roles.VIEWER })
    @Operation(summary = "The flag configuration document: {flags: {name: flag}, lastUpdated, version}", description = "Roles: admin, operator, viewer. Flags sorted by key, each with its definition only (no "
            + "version or timestamps), so an unchanged catalog exports identically and diffs cleanly in Git.")
    @APIResponse(responseCode = "200", description = "Every flag by name")
    public ConfigurationDocument configuration() {
        return configurations.export();
    }

    @PUT
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
                Actors.of(security));
    }

}
