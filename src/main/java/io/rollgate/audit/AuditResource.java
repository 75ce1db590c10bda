package io.rollgate.audit;

import io.rollgate.http.OpenApiDefinition;
import io.rollgate.http.Paging;
import io.rollgate.security.Roles;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The audit trail, filtered and paged, newest first. */
@Path("/api/admin/audit")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Audit", description = "Every flag change: who, what, old and new value, why, when")
@SecurityRequirement(name = "bearer")
public class AuditResource {

    static final int MAX_PAGE_SIZE = 200;

    private final AuditService audit;

    public AuditResource(AuditService audit) {
        this.audit = audit;
    }

    @GET
    @RolesAllowed({ Roles.ADMIN, Roles.OPERATOR, Roles.VIEWER })
    @Operation(summary = "Audit entries, newest first", description = "Roles: admin, operator, viewer. Filters combine; flagPath takes a flag path or rollout name; "
            + "subjectType is flag, override, rollout, canary or token, and subject names the thing (a flag "
            + "path, customer:<id>, organization:<id>, a service, a token id); changedBy is the actor, action "
            + "the change's action (set, flag.update, rollout.advance, ...), flagPrefix matches flag paths "
            + "starting with it, and from (inclusive) and to (exclusive) bound the time as ISO-8601.")
    @APIResponse(responseCode = "200", description = "One page of entries")
    @APIResponse(responseCode = "400", ref = OpenApiDefinition.BAD_REQUEST)
    @APIResponse(responseCode = "401", ref = OpenApiDefinition.UNAUTHORIZED)
    @APIResponse(responseCode = "403", ref = OpenApiDefinition.FORBIDDEN)
    @APIResponse(responseCode = "503", ref = OpenApiDefinition.UNAVAILABLE)
    public Uni<AuditPage> list(@QueryParam("customerId") String customerId,
            @QueryParam("organizationId") String organizationId,
            @QueryParam("flagPath") String flagPath,
            @QueryParam("subjectType") String subjectType,
            @QueryParam("subject") String subject,
            @QueryParam("changedBy") String changedBy,
            @QueryParam("action") String action,
            @QueryParam("flagPrefix") String flagPrefix,
            @QueryParam("from") String from,
            @QueryParam("to") String to,
            @QueryParam("page") @DefaultValue("0") int page,
            @QueryParam("size") @DefaultValue("50") int size) {
        Paging.check(page, size, MAX_PAGE_SIZE);
        return audit.find(new AuditFilter(customerId, organizationId, flagPath, subjectType, subject, changedBy,
                action, flagPrefix, AuditService.time("from", from), AuditService.time("to", to)), page, size);
    }

    @GET
    @Path("/values")
    @RolesAllowed({ Roles.ADMIN, Roles.OPERATOR, Roles.VIEWER })
    @Operation(summary = "What the action and actor filters can be set to", description = "Roles: admin, operator, "
            + "viewer. The distinct actions and actors of the latest 10,000 entries, sorted.")
    @APIResponse(responseCode = "200", description = "The values")
    @APIResponse(responseCode = "401", ref = OpenApiDefinition.UNAUTHORIZED)
    @APIResponse(responseCode = "403", ref = OpenApiDefinition.FORBIDDEN)
    @APIResponse(responseCode = "503", ref = OpenApiDefinition.UNAVAILABLE)
    public Uni<AuditValues> values() {
        return audit.values();
    }
}
