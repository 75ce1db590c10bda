package io.rollgate.flags;

import io.rollgate.audit.AuditEntry;
import io.rollgate.audit.AuditedChanges;
import io.rollgate.audit.AuditedChanges.Outcome;
import io.rollgate.audit.Reasons;
import io.rollgate.catalog.CatalogService;
import io.rollgate.catalog.FlagCatalogRepository;
import io.rollgate.catalog.Rules;
import io.rollgate.engine.Catalog;
import io.rollgate.engine.FlagDefinition;
import io.rollgate.engine.InvalidInputException;
import io.rollgate.engine.Rule;
import io.rollgate.engine.Violation;
import io.rollgate.errors.ConflictException;
import io.rollgate.errors.NotFoundException;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * Flag management: create, update, percentage, delete. Each write is checked against the
 * catalog (names, prerequisites without cycles, rules), guarded by the flag's version, written with its
 * audit row and a catalog version bump in one transaction, and then served from a reloaded snapshot.
 */
@ApplicationScoped
public class FlagService {

    private static final Logger LOG = Logger.getLogger(FlagService.class);
    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
    private static final Pattern GROUP = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final Pattern ENVIRONMENT = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private final FlagCatalogRepository repository;
    private final CatalogService catalogs;
    private final FlagMetrics metrics;
    private final AuditedChanges changes;
    private final FlagHygiene hygiene;

    public FlagService(FlagCatalogRepository repository, CatalogService catalogs, FlagMetrics metrics,
            AuditedChanges changes, FlagHygiene hygiene) {
        this.hygiene = hygiene;
        this.changes = changes;
        this.repository = repository;
        this.catalogs = catalogs;
        this.metrics = metrics;
    }

    public FlagView get(String name) {
        FlagDefinition flag = existing(catalogs.require(), name);
        return FlagView.of(flag, hygiene.state(flag.key()));
    }

    public FlagPage list(String group, int page, int size) {
        Catalog catalog = catalogs.require();
        List<FlagView> matching = catalog.flags().stream()
                .filter(flag -> group == null || flag.group().equals(group))
                .map(flag -> FlagView.of(flag, hygiene.state(flag.key())))
                .toList();
        // in long: a deep page times a large size must not wrap around into a negative offset
        int from = (int) Math.min(matching.size(), (long) page * size);
        int to = Math.min(matching.size(), from + size);
        return new FlagPage(matching.subList(from, to), page, size, matching.size(), catalog.version(),
                catalog.lastUpdated());
    }

    public Uni<FlagView> create(FlagRequest request, String actor) {
        Catalog catalog = catalogs.require();
        FlagDefinition flag = definition(request, catalog, null);
        return write(flag.key(), "flag.create", null, flag, request.reason(), actor,
                (connection, stored) -> repository.insert(connection, definition(request, stored, null))
                        .invoke(created -> {
                            if (!created) {
                                throw new ConflictException("A flag named " + flag.key() + " already exists");
                            }
                        }).replaceWithVoid());
    }

    public Uni<FlagView> update(String name, FlagRequest request, String actor) {
        Catalog catalog = catalogs.require();
        FlagDefinition before = existing(catalog, name);
        if (request != null && request.name() != null && !request.name().equals(before.key())
                && !request.name().equals(before.alias())) {
            throw new InvalidInputException("name", "cannot change; create a new flag instead");
        }
        FlagDefinition after = definition(request, catalog, before);
        long expected = expectedVersion(before, request == null ? null : request.version());
        return write(before.key(), "flag.update", before, after, request.reason(), actor,
                (connection, stored) -> repository.update(connection, definition(request, stored, before), expected)
                        .invoke(updated -> stale(updated, before))
                        .replaceWithVoid());
    }

    public Uni<FlagView> updateRolloutPercentage(String name, Integer percentage, Long version, String reason,
            String actor) {
        if (percentage == null || percentage < 0 || percentage > 100) {
            throw new InvalidInputException("rolloutPercentage", "must be a whole number from 0 to 100");
        }
        FlagDefinition before = existing(catalogs.require(), name);
        FlagDefinition after = new FlagDefinition(before.key(), before.alias(), before.description(), before.group(),
                before.enabled(), before.defaultValue(), before.environmentDefaults(), before.prerequisites(),
                before.rules(), percentage, before.version());
        long expected = expectedVersion(before, version);
        return write(before.key(), "flag.percentage", before, after, reason, actor,
                (connection, stored) -> repository.update(connection, after, expected)
                        .invoke(updated -> stale(updated, before))
                        .replaceWithVoid());
    }

    public Uni<Void> delete(String name, Long version, String reason, String actor) {
        Reasons.optional(reason);
        FlagDefinition before = existing(catalogs.require(), name);
        long expected = expectedVersion(before, version);
        return changes.write(connection -> repository.lockDefinitions(connection)
                .chain(() -> repository.dependents(connection, before.key()))
                .chain(dependents -> {
                    if (!dependents.isEmpty()) {
                        return Uni.createFrom().failure(new ConflictException(before.key()
                                + " is a prerequisite of " + String.join(", ", dependents)
                                + "; remove it from them first"));
                    }
                    return repository.delete(connection, before.key(), expected)
                            .invoke(deleted -> stale(deleted, before))
                            .chain(() -> repository.removeLeaves(connection, before.key()))
                            .chain(removed -> repository.bumpVersion(connection)
                                    .replaceWith(Outcome.of((Void) null, deletion(before, removed, reason,
                                            actor))));
                }))
                .call(this::reload)
                .replaceWithVoid()
                .invoke(() -> LOG.infof("Flag deleted: %s by %s", before.key(), actor));
    }

    /**
     * Writes a flag definition. The request was checked against the snapshot already (a quick 400); inside
     * the transaction, under a lock all definition writes take, {@code change} checks it again against the
     * flags as stored, so two concurrent writes cannot together make a prerequisite cycle or a key clash.
     */
    private Uni<FlagView> write(String key, String action, FlagDefinition before, FlagDefinition after, String reason,
            String actor, BiFunction<SqlConnection, Catalog, Uni<Void>> change) {
        Reasons.optional(reason);
        return changes.write(connection -> repository.lockDefinitions(connection)
                .chain(() -> repository.loadFlags(connection))
                .chain(stored -> change.apply(connection, new Catalog(stored, Instant.EPOCH)))
                .chain(() -> repository.bumpVersion(connection))
                .replaceWith(Outcome.of(key, auditEntries(key, action, before, after, reason, actor))))
                .call(this::reload)
                .invoke(() -> LOG.infof("Flag %s: %s by %s", action.substring("flag.".length()), key, actor))
                .map(ignored -> catalogs.snapshot().find(key).map(FlagView::of).orElseGet(() -> FlagView.of(after)));
    }

    private Uni<Void> reload(Object ignored) {
        return catalogs.refresh().invoke(metrics::sync).replaceWithVoid();
    }

    /** Builds and validates a definition; {@code before} is the flag being updated, null on create. */
    private FlagDefinition definition(FlagRequest request, Catalog catalog, FlagDefinition before) {
        return definition(request, catalog, before, true);
    }

    /**
     * A flag of a configuration document, checked against {@code target}, the catalog the whole document
     * would make: prerequisites, cycles and rules as for a single write; the key's form and path clashes
     * are checked by {@link #documentKey}, since the target already holds the key.
     */
    FlagDefinition documentDefinition(FlagRequest request, Catalog target, FlagDefinition before) {
        return definition(request, target, before, false);
    }

    /** A document's key: well formed and not nesting into or around another flag of the target catalog. */
    static void documentKey(String key, Catalog target, List<Violation> violations) {
        if (key == null || !KEY.matcher(key).matches() || key.contains("..") || key.endsWith(".")) {
            violations.add(new Violation("name", "must be 1-128 of letters, digits and . _ -, starting with a "
                    + "letter or digit, without empty path segments"));
            return;
        }
        target.pathClash(key).ifPresent(other -> violations.add(new Violation("name",
                "clashes with the path of flag " + other)));
    }

    private FlagDefinition definition(FlagRequest request, Catalog catalog, FlagDefinition before,
            boolean newKeyChecks) {
        if (request == null) {
            throw new InvalidInputException("body", "is required");
        }
        List<Violation> violations = new ArrayList<>();
        String key = before != null ? before.key() : request.name();
        if (before == null && newKeyChecks) {
            validateNewKey(key, catalog, violations);
        }
        if (request.description() != null && request.description().length() > 1000) {
            violations.add(new Violation("description", "is longer than 1000 characters"));
        }
        String group = request.group() != null ? request.group() : before != null ? before.group() : "default";
        if (!GROUP.matcher(group).matches()) {
            violations.add(new Violation("group", "must be 1-64 of letters, digits and . _ -"));
        }
        Integer percentage = request.rolloutPercentage();
        if (percentage != null && (percentage < 0 || percentage > 100)) {
            violations.add(new Violation("rolloutPercentage", "must be a whole number from 0 to 100"));
        }
        List<Rule> rules = Rules.fromRequest(request.rules(), violations);
        Map<String, Boolean> environments = new LinkedHashMap<>();
        if (request.environmentDefaults() != null) {
            request.environmentDefaults().forEach((environment, value) -> {
                if (environment == null || !ENVIRONMENT.matcher(environment).matches()) {
                    violations.add(new Violation("environmentDefaults." + environment,
                            "names must be 1-64 of letters, digits and . _ -"));
                } else if (value == null) {
                    violations.add(new Violation("environmentDefaults." + environment, "must be true or false"));
                } else {
                    environments.put(environment, value);
                }
            });
        }
        List<String> prerequisites = prerequisites(key, request.prerequisites(), catalog, violations);
        if (!violations.isEmpty()) {
            throw new InvalidInputException(violations);
        }
        return new FlagDefinition(key, before != null ? before.alias() : null,
                request.description() != null ? request.description() : "", group,
                // the kill switch changes only when the request names it
                request.enabled() != null ? request.enabled() : before == null || before.enabled(),
                request.defaultValue() != null && request.defaultValue(),
                environments, prerequisites, rules, percentage, before != null ? before.version() : 0);
    }

    /** A new key must be well formed, unused, and must not nest into or around an existing flag's path. */
    private static void validateNewKey(String key, Catalog catalog, List<Violation> violations) {
        if (key == null || !KEY.matcher(key).matches() || key.contains("..") || key.endsWith(".")) {
            violations.add(new Violation("name", "must be 1-128 of letters, digits and . _ -, starting with a "
                    + "letter or digit, without empty path segments"));
            return;
        }
        if (catalog.find(key).isPresent()) {
            violations.add(new Violation("name", "is already a flag or a flag's rollout name"));
            return;
        }
        catalog.pathClash(key).ifPresent(other -> violations.add(new Violation("name",
                "clashes with the path of flag " + other)));
    }

    /** Canonical prerequisite keys; unknown ones, the flag itself and cycles are refused. */
    private static List<String> prerequisites(String key, List<String> names, Catalog catalog,
            List<Violation> violations) {
        List<String> keys = new ArrayList<>();
        if (names == null) {
            return keys;
        }
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            FlagDefinition prerequisite = name == null ? null : catalog.find(name).orElse(null);
            if (prerequisite == null) {
                violations.add(new Violation("prerequisites[" + i + "]", "is not a known flag"));
            } else if (prerequisite.key().equals(key)) {
                violations.add(new Violation("prerequisites[" + i + "]", "a flag cannot require itself"));
            } else if (catalog.dependsOn(prerequisite.key(), key)) {
                violations.add(new Violation("prerequisites[" + i + "]", "would make a cycle: " + prerequisite.key()
                        + " already depends on " + key));
            } else if (!keys.contains(prerequisite.key())) {
                keys.add(prerequisite.key());
            }
        }
        return keys;
    }

    private static FlagDefinition existing(Catalog catalog, String name) {
        return catalog.find(name).orElseThrow(() -> new NotFoundException("No flag named " + name));
    }

    private static long expectedVersion(FlagDefinition current, Long requested) {
        if (requested != null && requested != current.version()) {
            throw new ConflictException(current.key() + " is at version " + current.version() + ", not " + requested
                    + "; read it again and retry");
        }
        return current.version();
    }

    private static void stale(boolean written, FlagDefinition before) {
        if (!written) {
            throw new ConflictException(before.key() + " changed concurrently; read it again and retry");
        }
    }

    /** The deletion's entry, and one for each override document that lost the flag's leaf. */
    private static List<AuditEntry> deletion(FlagDefinition flag, List<FlagCatalogRepository.RemovedLeaf> removed,
            String reason, String actor) {
        List<AuditEntry> entries = new ArrayList<>();
        entries.add(auditEntry(flag.key(), "flag.delete", flag, null, reason, actor));
        for (FlagCatalogRepository.RemovedLeaf leaf : removed) {
            entries.add(AuditEntry.override(leaf.scope(), leaf.id(), flag.key(), leaf.value(), null, actor, reason));
        }
        return entries;
    }

    /** The change's entry, and a global-switch entry when it flips the kill switch (as the switch itself would). */
    private static List<AuditEntry> auditEntries(String key, String action, FlagDefinition before,
            FlagDefinition after, String reason, String actor) {
        AuditEntry change = auditEntry(key, action, before, after, reason, actor);
        if (before == null || after == null || before.enabled() == after.enabled()) {
            return List.of(change);
        }
        return List.of(change, AuditEntry.killSwitch(key, before.enabled(), after.enabled(), actor, reason));
    }

    private static AuditEntry auditEntry(String key, String action, FlagDefinition before, FlagDefinition after,
            String reason, String actor) {
        Map<String, Object> details = new LinkedHashMap<>();
        if (before != null) {
            details.put("before", FlagView.of(before));
        }
        if (after != null) {
            details.put("after", FlagView.of(after));
        }
        return AuditEntry.flag(key, action, before == null ? null : before.enabled(),
                after == null ? null : after.enabled(), details, actor, reason);
    }

}
