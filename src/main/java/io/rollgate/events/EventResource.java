package io.rollgate.events;

import io.rollgate.http.OpenApiDefinition;
import io.rollgate.security.Roles;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Where reporters send rollout events (recordEvent), in batches. */
@Path("/api/rollout-events")
@Tag(name = "Rollout events", description = "Exposure and outcome events from reporters")
@SecurityRequirement(name = "bearer")
public class EventResource {

    private final EventService service;

    public EventResource(EventService service) {
        this.service = service;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed({ Roles.INGEST, Roles.ADMIN })
    @Operation(summary = "Record a batch of rollout events", description = "Roles: ingest, admin. The whole batch is validated (a bad item refuses the batch and "
            + "is named in errors[].field) and stored in one transaction. A batchId is the reporter's own (its token's "
            + "principal). Retrying with the same batchId and the same events is safe: the batch is acknowledged "
            + "again with duplicate: true and not counted twice; other events under a used batchId are refused with "
            + "409. 503 with Retry-After when too many events wait to be written or the database is slow or away: "
            + "send the batch again with the same batchId.")
    @APIResponse(responseCode = "200", description = "Stored (or already stored by an earlier attempt)")
    @APIResponse(responseCode = "409", description = "This reporter used the batchId for other events; nothing stored")
    @APIResponse(responseCode = "400", ref = OpenApiDefinition.BAD_REQUEST)
    @APIResponse(responseCode = "401", ref = OpenApiDefinition.UNAUTHORIZED)
    @APIResponse(responseCode = "403", ref = OpenApiDefinition.FORBIDDEN)
    @APIResponse(responseCode = "503", ref = OpenApiDefinition.UNAVAILABLE)
    public Uni<IngestResult> record(EventBatch batch, @Context SecurityContext security) {
        return service.ingest(batch, security.getUserPrincipal().getName());
    }
}
