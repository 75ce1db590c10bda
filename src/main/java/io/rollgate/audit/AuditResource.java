package io.rollgate.audit;

import io.rollgate.engine.Catalog;
import io.rollgate.engine.FlagDefinition;
import io.rollgate.engine.Ids;
import io.rollgate.engine.InvalidInputException;
import io.rollgate.catalog.CatalogService;
import io.rollgate.database.Database;
import io.rollgate.http.OpenApiDefinition;
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

    private final AuditRepository repository;
    private final CatalogService catalogs;
    private final Database database;

    public AuditResource(AuditRepository repository, CatalogService catalogs, Database database) {
        this.repository = repository;
        this.catalogs = catalogs;
        this.database = database;
    }

    @GET
    @RolesAllowed({ Roles.ADMIN, Roles.OPERATOR, Roles.VIEWER })
    @Operation(summary = "Audit entries, newest first",
            description = "Roles: admin, operator, viewer. Filters combine; flagPath takes a flag path or rollout name.")
    @APIResponse(responseCode = "200", description = "One page of entries")
    @APIResponse(responseCode = "400", ref = OpenApiDefinition.BAD_REQUEST)
    @APIResponse(responseCode = "401", ref = OpenApiDefinition.UNAUTHORIZED)
    @APIResponse(responseCode = "403", ref = OpenApiDefinition.FORBIDDEN)
    @APIResponse(responseCode = "503", ref = OpenApiDefinition.UNAVAILABLE)
    public Uni<AuditPage> list(@QueryParam("customerId") String customerId,
            @QueryParam("organizationId") String organizationId,
            @QueryParam("flagPath") String flagPath,
            @QueryParam("page") @DefaultValue("0") int page,
            @QueryParam("size") @DefaultValue("50") int size) {
        Ids.optional("customerId", customerId);
        Ids.optional("organizationId", organizationId);
        if (page < 0) {
            throw new InvalidInputException("page", "must be 0 or more");
        }
        if (size < 1 || size > MAX_PAGE_SIZE) {
            throw new InvalidInputException("size", "must be between 1 and " + MAX_PAGE_SIZE);
        }
        String path = canonical(flagPath);
        database.requireUp();
        return repository.find(customerId, organizationId, path, page, size)
                .plug(database::bounded);
    }

    /** Rollout names are translated to flag paths; paths of flags since deleted are searched as given. */
    private String canonical(String flagPath) {
        if (flagPath == null) {
            return null;
        }
        if (flagPath.isEmpty() || flagPath.length() > 256) {
            throw new InvalidInputException("flagPath", "must be 1-256 characters");
        }
        Catalog catalog = catalogs.require();
        return catalog.find(flagPath).map(FlagDefinition::key).orElse(flagPath);
    }
}
