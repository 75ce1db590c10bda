package io.rollgate.flags.admin;

import io.rollgate.audit.Reasons;
import io.rollgate.catalog.CatalogService;
import io.rollgate.engine.Catalog;
import io.rollgate.engine.FlagDefinition;
import io.rollgate.engine.Ids;
import io.rollgate.errors.InvalidInputException;
import io.rollgate.errors.Violation;
import io.rollgate.evaluation.EvaluationInfo;
import io.rollgate.evaluation.WidgetConfigService;
import io.rollgate.http.OpenApiDefinition;
import io.rollgate.overrides.OverrideService;
import io.rollgate.overrides.Scope;
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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
    private final OverrideService overrides;
    private final KillSwitchService killSwitch;
    private final CatalogService catalogs;

    public FeatureFlagAdminResource(WidgetConfigService resolver, OverrideService overrides,
            KillSwitchService killSwitch, CatalogService catalogs) {
        this.resolver = resolver;
        this.overrides = overrides;
        this.killSwitch = killSwitch;
        this.catalogs = catalogs;
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
        if (request == null) {
            throw new InvalidInputException("body", "is required");
        }
        String reason = Reasons.require(request.reason());
        String actor = security.getUserPrincipal().getName();
        Catalog catalog = catalogs.require();
        boolean global = Boolean.TRUE.equals(request.global());
        int targets = (global ? 1 : 0) + (request.customerId() != null ? 1 : 0)
                + (request.organizationId() != null ? 1 : 0);
        if (targets != 1) {
            throw new InvalidInputException("target", "give exactly one of customerId, organizationId, global: true");
        }
        if (global) {
            Map<String, Boolean> switches = globalSwitches(request, catalog);
            return killSwitch.apply(switches, reason, actor)
                    .map(entries -> new FlagChangeResult(true, "global", null, entries));
        }
        if (request.flags() != null) {
            throw new InvalidInputException("flags", "is only accepted with global: true");
        }
        FlagDefinition flag = resolve(catalog, "featureName", request.featureName());
        if (request.enabled() == null) {
            throw new InvalidInputException("enabled", "is required (true or false)");
        }
        Scope scope = request.customerId() != null ? Scope.CUSTOMER : Scope.ORGANIZATION;
        String id = Ids.required(scope.idField(),
                scope == Scope.CUSTOMER ? request.customerId() : request.organizationId());
        return overrides.set(scope, id, flag.key(), request.enabled(), reason, actor)
                .map(change -> new FlagChangeResult(true, change.scope(), id, change.changes()));
    }

    private static Map<String, Boolean> globalSwitches(FlagChangeRequest request, Catalog catalog) {
        Map<String, Boolean> switches = new LinkedHashMap<>();
        List<Violation> violations = new ArrayList<>();
        if (request.featureName() != null) {
            if (request.enabled() == null) {
                violations.add(new Violation("enabled", "is required with featureName"));
            }
            catalog.find(request.featureName()).ifPresentOrElse(
                    flag -> switches.put(flag.key(), request.enabled()),
                    () -> violations.add(new Violation("featureName", "is not a known flag")));
        }
        if (request.flags() != null) {
            request.flags().forEach((name, value) -> {
                if (value == null) {
                    violations.add(new Violation("flags." + name, "must be true or false"));
                    return;
                }
                catalog.find(name).ifPresentOrElse(flag -> switches.put(flag.key(), value),
                        () -> violations.add(new Violation("flags." + name, "is not a known flag")));
            });
        }
        if (request.featureName() == null && (request.flags() == null || request.flags().isEmpty())) {
            violations.add(new Violation("featureName", "or a non-empty flags map is required with global"));
        }
        if (!violations.isEmpty()) {
            throw new InvalidInputException(violations);
        }
        return switches;
    }

    private static FlagDefinition resolve(Catalog catalog, String field, String name) {
        if (name == null || name.isBlank()) {
            throw new InvalidInputException(field, "is required");
        }
        return catalog.find(name).orElseThrow(() -> new InvalidInputException(field, "is not a known flag"));
    }
}
