package io.rollgate.flags.admin;

import io.rollgate.audit.Reasons;
import io.rollgate.catalog.CatalogService;
import io.rollgate.engine.Catalog;
import io.rollgate.engine.FlagDefinition;
import io.rollgate.engine.Ids;
import io.rollgate.errors.InvalidInputException;
import io.rollgate.errors.Violation;
import io.rollgate.overrides.OverrideService;
import io.rollgate.overrides.Scope;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The seed's admin feature-flags change: its request checked, then sent to the override or the kill switch. */
@ApplicationScoped
public class FlagChangeService {

    private final OverrideService overrides;
    private final KillSwitchService killSwitch;
    private final CatalogService catalogs;

    public FlagChangeService(OverrideService overrides, KillSwitchService killSwitch, CatalogService catalogs) {
        this.overrides = overrides;
        this.killSwitch = killSwitch;
        this.catalogs = catalogs;
    }

    /**
     * The seed's one-call change: one flag for a customer or an organization (an override leaf), or the global
     * switch of one or several flags. Every problem of the request is refused before anything is written.
     */
    public Uni<FlagChangeResult> change(FlagChangeRequest request, String actor) {
        if (request == null) {
            throw new InvalidInputException("body", "is required");
        }
        String reason = Reasons.require(request.reason());
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
