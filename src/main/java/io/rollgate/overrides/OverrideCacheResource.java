package io.rollgate.overrides;

import io.rollgate.engine.Ids;
import io.rollgate.http.OpenApiDefinition;
import io.rollgate.security.Roles;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Cache management: statistics and invalidation of override documents. */
@Path("/api/admin/cache")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Cache", description = "Override document cache: statistics and invalidation")
@SecurityRequirement(name = "bearer")
@APIResponse(responseCode = "400", ref = OpenApiDefinition.BAD_REQUEST)
@APIResponse(responseCode = "401", ref = OpenApiDefinition.UNAUTHORIZED)
@APIResponse(responseCode = "403", ref = OpenApiDefinition.FORBIDDEN)
public class OverrideCacheResource {

    private final OverrideCache cache;

    public OverrideCacheResource(OverrideCache cache) {
        this.cache = cache;
    }

    @GET
    @RolesAllowed({ Roles.ADMIN, Roles.OPERATOR, Roles.VIEWER })
    @Operation(summary = "Cache statistics: size, keys, hits, misses", description = "Roles: admin, operator, viewer.")
    @APIResponse(responseCode = "200", description = "Statistics since start")
    public CacheStats stats(@QueryParam("maxKeys") @DefaultValue("1000") int maxKeys) {
        return cache.stats(Math.max(0, Math.min(maxKeys, 10_000)));
    }

    @DELETE
    @RolesAllowed({ Roles.ADMIN, Roles.OPERATOR })
    @Operation(summary = "Invalidate every cached override document on every replica", description = "Roles: admin, operator. Recorded as a change: every replica drops the documents when it "
            + "hears it, normally within milliseconds and at most about a second.")
    @APIResponse(responseCode = "200", description = "Cleared here, and announced to every replica")
    @APIResponse(responseCode = "503", ref = OpenApiDefinition.UNAVAILABLE)
    public Uni<CacheCleared> invalidateAll() {
        return cache.clearEverywhere(null, null);
    }

    @DELETE
    @Path("/customers/{customerId}")
    @RolesAllowed({ Roles.ADMIN, Roles.OPERATOR })
    @Operation(summary = "Invalidate one customer's cached document on every replica", description = "Roles: admin, operator.")
    @APIResponse(responseCode = "200", description = "Cleared here, and announced to every replica")
    @APIResponse(responseCode = "503", ref = OpenApiDefinition.UNAVAILABLE)
    public Uni<CacheCleared> invalidateCustomer(@PathParam("customerId") String customerId) {
        return cache.clearEverywhere(Scope.CUSTOMER, Ids.required("customerId", customerId));
    }

    @DELETE
    @Path("/organizations/{organizationId}")
    @RolesAllowed({ Roles.ADMIN, Roles.OPERATOR })
    @Operation(summary = "Invalidate one organization's cached document on every replica", description = "Roles: admin, operator. Customers of the organization see the change on their next read, since "
            + "their own documents are cached apart from it.")
    @APIResponse(responseCode = "200", description = "Cleared here, and announced to every replica")
    @APIResponse(responseCode = "503", ref = OpenApiDefinition.UNAVAILABLE)
    public Uni<CacheCleared> invalidateOrganization(@PathParam("organizationId") String organizationId) {
        return cache.clearEverywhere(Scope.ORGANIZATION, Ids.required("organizationId", organizationId));
    }
}
