package io.rollgate.flags.admin;

import io.rollgate.engine.Ids;
import io.rollgate.evaluation.EvaluationInfo;
import io.rollgate.evaluation.WidgetConfigService;
import io.rollgate.http.OpenApiDefinition;
import io.rollgate.security.Actors;
import io.rollgate.security.Roles;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The admin feature-flag API: list resolved flags for a context, change one flag. */
@Path("/api/admin/feature-flags")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Feature flags", description = "Resolved flags per context, per-scope changes, emergency switch")
@SecurityRequirement(name = "bearer")
@APIResponse(responseCode = "400", ref = OpenApiDefinition.BAD_REQUEST)
@APIResponse(responseCode = "401", ref = OpenApiDefinition.UNAUTHORIZED)
@APIResponse(responseCode = "403", ref = OpenApiDefinition.FORBIDDEN)
@APIResponse(responseCode = "503", ref = OpenApiDefinition.UNAVAILABLE)
public class FeatureFlagAdminResource {

    private final WidgetConfigService resolver;
    private final FlagChangeService changes;

    public FeatureFlagAdminResource(WidgetConfigService resolver, FlagChangeService changes) {
        this.resolver = resolver;
        this.changes = changes;
    }

    @GET
    @RolesAllowed({ Roles.ADMIN, Roles.OPERATOR, Roles.VIEWER })
    @Operation(summary = "Every flag resolved for a customer and/or organization", description = "Roles: admin, operator, viewer. Each feature carries its key, phase, value and source.")
    @APIResponse(responseCode = "200", description = "The resolved features")
    public Uni<FeatureList> list(@QueryParam("customerId") String customerId,
            @QueryParam("organizationId") String organizationId) {
        Ids.optional("customerId", customerId);
        Ids.optional("organizationId", organizationId);
        return resolver.resolve(customerId, organizationId).map(resolved -> new FeatureList(true,
                resolved.evaluation().results().stream().map(FeatureView::of).toList(),
                EvaluationInfo.of(resolved)));
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({ Roles.ADMIN, Roles.OPERATOR })
    @Operation(summary = "Change one flag for a customer or organization, or switch flags globally", description = "Roles: admin, operator. featureName takes a flag path or its rollout name. With global: true, "
            + "enabled: false kills the flag for every customer whatever their overrides; enabled: true "
            + "lifts the kill; a flags map switches several at once. Audited per changed flag.")
    @APIResponse(responseCode = "200", description = "Applied; lists the audit entries written")
    public Uni<FlagChangeResult> change(FlagChangeRequest request, @Context SecurityContext security) {
        return changes.change(request, Actors.of(security));
    }
}
