package io.rollgate.flags.segments;

import io.rollgate.audit.Reasons;
import io.rollgate.http.OpenApiDefinition;
import io.rollgate.security.Actors;
import io.rollgate.security.Roles;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
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
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Segments: named audiences any flag's rules can target ({@code {"type": "segment", "value": ["beta"]}}). */
@Path("/api/admin/segments")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Segments", description = "Named audiences that flags' rules target")
@SecurityRequirement(name = "bearer")
@APIResponse(responseCode = "400", ref = OpenApiDefinition.BAD_REQUEST)
@APIResponse(responseCode = "401", ref = OpenApiDefinition.UNAUTHORIZED)
@APIResponse(responseCode = "403", ref = OpenApiDefinition.FORBIDDEN)
@APIResponse(responseCode = "503", ref = OpenApiDefinition.UNAVAILABLE)
public class SegmentResource {

    private final SegmentService service;

    public SegmentResource(SegmentService service) {
        this.service = service;
    }

    @POST
    @RolesAllowed({ Roles.ADMIN, Roles.OPERATOR })
    @Operation(summary = "Create a segment", description = "Roles: admin, operator. Audited.")
    @APIResponse(responseCode = "201", description = "Created")
    @APIResponse(responseCode = "409", description = "The key is taken")
    public Uni<Response> create(SegmentRequest request, @Context SecurityContext security) {
        Reasons.require(request == null ? null : request.reason());
        return service.create(request, Actors.of(security)).map(view -> Response.status(201).entity(view).build());
    }

    @GET
    @RolesAllowed({ Roles.ADMIN, Roles.OPERATOR, Roles.VIEWER })
    @Operation(summary = "List segments, by key, with the flags that name each", description = "Roles: admin, operator, viewer.")
    @APIResponse(responseCode = "200", description = "Every segment")
    public List<SegmentView> list() {
        return service.list();
    }

    @GET
    @Path("/{key}")
    @RolesAllowed({ Roles.ADMIN, Roles.OPERATOR, Roles.VIEWER })
    @Operation(summary = "One segment", description = "Roles: admin, operator, viewer.")
    @APIResponse(responseCode = "200", description = "The segment")
    @APIResponse(responseCode = "404", description = "No such segment")
    public SegmentView get(@PathParam("key") String key) {
        return service.get(key);
    }

    @PUT
    @Path("/{key}")
    @RolesAllowed({ Roles.ADMIN, Roles.OPERATOR })
    @Operation(summary = "Replace a segment", description = "Roles: admin, operator. Send the version last read: a "
            + "stale one is refused with 409. Every flag naming the segment follows at once; audited.")
    @APIResponse(responseCode = "200", description = "Updated (or unchanged)")
    @APIResponse(responseCode = "404", description = "No such segment")
    @APIResponse(responseCode = "409", description = "Stale version")
    public Uni<SegmentView> update(@PathParam("key") String key, SegmentRequest request,
            @Context SecurityContext security) {
        Reasons.require(request == null ? null : request.reason());
        return service.update(key, request, Actors.of(security));
    }

    @DELETE
    @Path("/{key}")
    @RolesAllowed({ Roles.ADMIN, Roles.OPERATOR })
    @Operation(summary = "Delete a segment", description = "Roles: admin, operator. Refused with 409, naming them, "
            + "while flags' rules name it.")
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "404", description = "No such segment")
    @APIResponse(responseCode = "409", description = "Named by flags' rules (listed), or a stale version")
    public Uni<Void> delete(@PathParam("key") String key, @QueryParam("version") Long version,
            @QueryParam("reason") @Parameter(description = Reasons.DESCRIPTION, required = true) String reason,
            @Context SecurityContext security) {
        return service.delete(key, version, Reasons.require(reason), Actors.of(security));
    }
}
