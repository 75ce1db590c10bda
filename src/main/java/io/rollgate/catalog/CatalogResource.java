package io.rollgate.catalog;

import io.rollgate.database.Database;
import io.rollgate.http.OpenApiDefinition;
import io.rollgate.security.Roles;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Manual refresh of the evaluation snapshot, for changes made to the database outside the API. */
@Path("/api/admin/catalog/reload")
@Tag(name = "Feature flags")
@SecurityRequirement(name = "bearer")
public class CatalogResource {

    private final CatalogService catalogs;
    private final Database database;

    public CatalogResource(CatalogService catalogs, Database database) {
        this.catalogs = catalogs;
        this.database = database;
    }

    @POST
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed({ Roles.ADMIN, Roles.OPERATOR })
    @Operation(summary = "Reload the flag catalog and rollouts from the database", description = "Roles: admin, operator. Changes made through the API apply at once; this picks up changes made "
            + "directly in the database (the emergency rollback runbook, say).")
    @APIResponse(responseCode = "200", description = "Reloaded; the number of flags and rollouts now served")
    @APIResponse(responseCode = "401", ref = OpenApiDefinition.UNAUTHORIZED)
    @APIResponse(responseCode = "403", ref = OpenApiDefinition.FORBIDDEN)
    @APIResponse(responseCode = "503", ref = OpenApiDefinition.UNAVAILABLE)
    public Uni<Map<String, Object>> reload() {
        database.requireUp();
        return catalogs.reload()
                .onFailure().transform(database::translate)
                .map(catalog -> Map.of("flags", catalog.size(), "rollouts", catalog.rollouts().size(),
                        "loadedAt", catalog.loadedAt().toString()));
    }
}
