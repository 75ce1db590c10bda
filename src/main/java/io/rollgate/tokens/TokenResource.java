package io.rollgate.tokens;

import io.rollgate.audit.Reasons;
import io.rollgate.errors.InvalidInputException;
import io.rollgate.http.OpenApiDefinition;
import io.rollgate.security.Roles;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Managed API tokens: admin only, audited. */
@Path("/api/admin/tokens")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Tokens", description = "Managed API tokens and their roles")
@SecurityRequirement(name = "bearer")
@APIResponse(responseCode = "400", ref = OpenApiDefinition.BAD_REQUEST)
@APIResponse(responseCode = "401", ref = OpenApiDefinition.UNAUTHORIZED)
@APIResponse(responseCode = "403", ref = OpenApiDefinition.FORBIDDEN)
@APIResponse(responseCode = "503", ref = OpenApiDefinition.UNAVAILABLE)
public class TokenResource {

    private final TokenService service;

    public TokenResource(TokenService service) {
        this.service = service;
    }

    @POST
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Create a token", description = "Roles: admin. The answer holds the token once; only a "
            + "salted hash is stored, so it cannot be shown again.")
    @APIResponse(responseCode = "201", description = "Created; `token` is the secret to hand over")
    public Uni<Response> create(TokenViews.CreateRequest request, @Context SecurityContext security) {
        Reasons.require(request == null ? null : request.reason());
        return service.create(request, security.getUserPrincipal().getName())
                .map(view -> Response.status(201).entity(view).build());
    }

    @GET
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "List tokens (never their secrets)", description = "Roles: admin.")
    @APIResponse(responseCode = "200", description = "Newest first")
    public Uni<List<TokenViews.TokenView>> list() {
        return service.list();
    }

    @DELETE
    @Path("/{id}")
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Revoke a token; effective at once on this replica, within 30 s on the others", description = "Roles: admin.")
    @APIResponse(responseCode = "204", description = "Revoked")
    @APIResponse(responseCode = "404", description = "No such live token")
    public Uni<Void> revoke(@PathParam("id") String id,
            @QueryParam("reason") @Parameter(description = Reasons.DESCRIPTION, required = true) String reason,
            @Context SecurityContext security) {
        Reasons.require(reason);
        UUID parsed;
        try {
            parsed = UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("id", "must be a token id (UUID)");
        }
        return service.revoke(parsed, reason, security.getUserPrincipal().getName());
    }
}
