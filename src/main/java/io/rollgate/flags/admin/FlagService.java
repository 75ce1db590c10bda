package io.rollgate.flags.admin;

import io.rollgate.audit.AuditEntry;
import io.rollgate.audit.AuditedChanges;
import io.rollgate.audit.AuditedChanges.Outcome;
import io.rollgate.audit.Reasons;
import io.rollgate.catalog.CatalogService;
import io.rollgate.engine.Catalog;
import io.rollgate.engine.FlagDefinition;
import io.rollgate.engine.FlagDraft;
import io.rollgate.engine.FlagValidation;
import io.rollgate.errors.ConflictException;
import io.rollgate.errors.InvalidInputException;
import io.rollgate.errors.NotFoundException;
import io.rollgate.flags.DefinitionLock;
import io.rollgate.flags.hygiene.FlagHygiene;
import io.rollgate.flags.segments.SegmentRepository;
import io.rollgate.overrides.OverrideService;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * Flag management: create, update, percentage, delete. Each write is checked by the engine's
 * {@link FlagValidation} against the catalog (names, prerequisites without cycles, rules), guarded by the flag's version, written with its
 * audit row and a catalog version bump in one transaction, and then served from a reloaded snapshot.
 */
@ApplicationScoped
public class FlagService {

    private static final Logger LOG = Logger.getLogger(FlagService.class);

    private final FlagRepository repository;
    private final CatalogService catalogs;
    private final FlagMetrics metrics;
    private final AuditedChanges changes;
    private final FlagHygiene hygiene;
    private final OverrideService overrides;
    private final DefinitionLock lock;
    private final SegmentRepository segments;

    public FlagService(FlagRepository repository, CatalogService catalogs, FlagMetrics metrics,
            AuditedChanges changes, FlagHygiene hygiene, OverrideService overrides, DefinitionLock lock,
            SegmentRepository segments) {
        this.lock = lock;
        this.segments = segments;
        this.hygiene = hygiene;
        this.overrides = overrides;
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
        if (request != null && request.alias() != null) {
            throw new InvalidInputException("alias", "is read-only: the catalog names rollouts");
        }
        FlagDefinition flag = FlagValidation.create(draft(request), catalog);
        return write(flag.key(), "flag.create", null, flag, request.reason(), actor,
                stored -> repository.insert(FlagValidation.create(draft(request), stored))
                        .invoke(created -> {
                            if (!created) {
                                throw new ConflictException("A flag named " + flag.key() + " already exists");
                            }
                        }).replaceWithVoid());
    }

    public Uni<FlagView> update(String name, FlagRequest request, String actor) {
        Catalog catalog = catalogs.require();
        FlagDefinition before = existing(catalog, name);
        if (request != null && request.alias() != null && !request.alias().equals(before.alias())) {
            // what a GET answers can be sent back unchanged; a different alias is a change this endpoint cannot make
            throw new InvalidInputException("alias", "is read-only: it is " + (before.alias() == null
                    ? "not set"
                    : before.alias()) + " (the catalog names rollouts); send it unchanged or leave it out");
        }
        FlagDefinition after = FlagValidation.update(draft(request), catalog, before);
        long expected = expectedVersion(before, request == null ? null : request.version());
        return write(before.key(), "flag.update", before, after, request.reason(), actor,
                stored -> repository.update(FlagValidation.update(draft(request), stored, before), expected)
                        .invoke(updated -> stale(updated, before))
                        .replaceWithVoid());
    }

    public Uni<FlagView> updateRolloutPercentage(String name, Integer percentage, Long version, String reason,
            String actor) {
        FlagValidation.percentage(percentage);
        FlagDefinition before = existing(catalogs.require(), name);
        FlagDefinition after = FlagValidation.withPercentage(before, percentage);
        long expected = expectedVersion(before, version);
        return write(before.key(), "flag.percentage", before, after, reason, actor,
                stored -> repository.update(after, expected)
                        .invoke(updated -> stale(updated, before))
                        .replaceWithVoid());
    }

    public Uni<Void> delete(String name, Long version, String reason, String actor) {
        Reasons.optional(reason);
        FlagDefinition before = existing(catalogs.require(), name);
        long expected = expectedVersion(before, version);
        return changes.write(() -> lock.hold()
                .chain(repository::definitions)
                .chain(stored -> {
                    List<String> dependents = stored.stream()
                            .filter(flag -> flag.prerequisites().contains(before.key()))
                            .map(FlagDefinition::key).toList();
                    if (!dependents.isEmpty()) {
                        return Uni.createFrom().failure(new ConflictException(before.key()
                                + " is a prerequisite of " + String.join(", ", dependents)
                                + "; remove it from them first"));
                    }
                    return repository.delete(before.key(), expected)
                            .invoke(deleted -> stale(deleted, before))
                            .chain(() -> overrides.removeFlag(before.key(), reason, actor))
                            .chain(removed -> repository.bumpCatalogVersion()
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
            String actor, Function<Catalog, Uni<Void>> change) {
        Reasons.optional(reason);
        return changes.write(() -> lock.hold()
                .chain(repository::definitions)
                .chain(stored -> segments.segments().chain(named -> change.apply(new Catalog(stored, List.of(),
                        named, 0, Instant.EPOCH, Instant.EPOCH, -1))))
                .chain(repository::bumpCatalogVersion)
                .replaceWith(Outcome.of(key, auditEntries(key, action, before, after, reason, actor))))
                .call(this::reload)
                .invoke(() -> LOG.infof("Flag %s: %s by %s", action.substring("flag.".length()), key, actor))
                .map(ignored -> catalogs.snapshot().find(key).map(FlagView::of).orElseGet(() -> FlagView.of(after)));
    }

    private Uni<Void> reload(Object ignored) {
        return catalogs.refresh().invoke(metrics::sync).replaceWithVoid();
    }

    /**
     * A flag of a configuration document, checked against {@code target}, the catalog the whole document
     * would make.
     */
    public FlagDefinition documentDefinition(FlagRequest request, Catalog target, FlagDefinition before) {
        return FlagValidation.inDocument(draft(request), target, before);
    }

    private static FlagDraft draft(FlagRequest request) {
        return request == null ? null : request.draft();
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

    /** The deletion's entry, then one for each override document that lost the flag's leaf. */
    private static List<AuditEntry> deletion(FlagDefinition flag, List<AuditEntry> removed, String reason,
            String actor) {
        List<AuditEntry> entries = new ArrayList<>();
        entries.add(auditEntry(flag.key(), "flag.delete", flag, null, reason, actor));
        entries.addAll(removed);
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
