package io.rollgate.flags.hygiene;

import io.rollgate.http.OpenApiDefinition;
import io.rollgate.security.Actors;
import io.rollgate.security.Roles;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Flag hygiene: which flags are meant to stay. */
@Path("/api/admin/flags/{name}/permanent")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Flag management", description = "Create, target, ramp and delete flags")
@SecurityRequirement(name = "bearer")
@APIResponse(responseCode = "400", ref = OpenApiDefinition.BAD_REQUEST)
@APIResponse(responseCode = "401", ref = OpenApiDefinition.UNAUTHORIZED)
@APIResponse(responseCode = "403", ref = OpenApiDefinition.FORBIDDEN)
@APIResponse(responseCode = "503", ref = OpenApiDefinition.UNAVAILABLE)
public class FlagHygieneResource {

    private final FlagHygiene hygiene;

    public FlagHygieneResource(FlagHygiene hygiene) {
        this.hygiene = hygiene;
    }

    @PUT
    @RolesAllowed({ Roles.ADMIN, Roles.OPERATOR })
    @Operation(summary = "Mark a flag permanent (a kill switch meant to stay) or not", description = "Roles: admin, operator. A permanent flag is never reported potentially stale. Audited as "
            + "flag.permanent.")
    @APIResponse(responseCode = "200", description = "The flag's hygiene: permanent, last evaluated, stale reason")
    @APIResponse(responseCode = "404", description = "No such flag")
    public Uni<FlagHygiene.State> permanent(@PathParam("name") String name, PermanentRequest request,
            @Context SecurityContext security) {
        return hygiene.setPermanent(name, request, Actors.of(security));
    }

}
