package io.rollgate.canary;

import io.rollgate.http.OpenApiDefinition;
import io.rollgate.security.Roles;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The services that have canary deployments, for an operator who does not know their names by heart. */
@Path("/api/admin/canary")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Canary", description = "Staged releases of a service version")
@SecurityRequirement(name = "bearer")
public class CanaryServicesResource {

    private final CanaryService service;

    public CanaryServicesResource(CanaryService service) {
        this.service = service;
    }

    @GET
    @RolesAllowed({ Roles.ADMIN, Roles.OPERATOR, Roles.VIEWER })
    @Operation(summary = "Every service with deployments", description = "Roles: admin, operator, viewer. By name: "
            + "its stable version (the latest completed) and the deployment in flight, if any, with its status "
            + "and percentage.")
    @APIResponse(responseCode = "200", description = "The services")
    @APIResponse(responseCode = "401", ref = OpenApiDefinition.UNAUTHORIZED)
    @APIResponse(responseCode = "403", ref = OpenApiDefinition.FORBIDDEN)
    @APIResponse(responseCode = "503", ref = OpenApiDefinition.UNAVAILABLE)
    public Uni<List<CanaryViews.ServiceEntry>> services() {
        return service.services();
    }
}
