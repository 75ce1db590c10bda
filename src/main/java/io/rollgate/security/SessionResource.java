package io.rollgate.security;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.quarkus.security.identity.SecurityIdentity;
import io.rollgate.http.OpenApiDefinition;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.Set;
import java.util.TreeSet;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Who a token is, so the admin UI offers only what the token may do. */
@Path("/api/admin/session")
@Tag(name = "Tokens")
@SecurityRequirement(name = "bearer")
public class SessionResource {

    private final SecurityIdentity identity;

    public SessionResource(SecurityIdentity identity) {
        this.identity = identity;
    }

    @RegisterForReflection
    public record Session(String principal, Set<String> roles, String organizationId) {
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed({ Roles.ADMIN, Roles.OPERATOR, Roles.VIEWER, Roles.ORGANIZATION_OPERATOR })
    @Operation(summary = "The calling token's principal and roles", description = "Roles: admin, operator, viewer, organization-operator.")
    @APIResponse(responseCode = "200", description = "The session")
    @APIResponse(responseCode = "401", ref = OpenApiDefinition.UNAUTHORIZED)
    @APIResponse(responseCode = "403", ref = OpenApiDefinition.FORBIDDEN)
    public Session session() {
        return new Session(identity.getPrincipal().getName(), new TreeSet<>(identity.getRoles()),
                identity.getAttribute(Roles.ORGANIZATION_ATTRIBUTE));
    }
}
