package io.rollgate.flags.code;

import io.rollgate.audit.AuditEntry;
import io.rollgate.audit.AuditedChanges;
import io.rollgate.audit.AuditedChanges.Outcome;
import io.rollgate.audit.Reasons;
import io.rollgate.catalog.CatalogService;
import io.rollgate.engine.Catalog;
import io.rollgate.engine.FlagDefinition;
import io.rollgate.engine.FlagValidation;
import io.rollgate.engine.Rollout;
import io.rollgate.engine.RolloutStatus;
import io.rollgate.engine.Segment;
import io.rollgate.errors.ConflictException;
import io.rollgate.errors.InvalidInputException;
import io.rollgate.errors.Violation;
import io.rollgate.flags.DefinitionLock;
import io.rollgate.flags.admin.FlagRepository;
import io.rollgate.flags.admin.FlagService;
import io.rollgate.flags.admin.FlagView;
import io.rollgate.flags.segments.SegmentRepository;
import io.rollgate.overrides.OverrideService;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import org.jboss.logging.Logger;

/**
 * Flags as code: the catalog exported as one document, and a document applied back declaratively. An
 * apply creates, updates and (when asked) deletes flags in one transaction with one audit entry per
 * changed flag; a dry run answers the plan and changes nothing.
 */
@ApplicationScoped
public class ConfigurationService {

    private static final Logger LOG = Logger.getLogger(ConfigurationService.class);

    private final FlagService flags;
    private final CatalogService catalogs;
    private final FlagRepository repository;
    private final AuditedChanges changes;

    private final OverrideService overrides;
    private final DefinitionLock lock;
    private final SegmentRepository segmentRepository;

    public ConfigurationService(FlagService flags, CatalogService catalogs, FlagRepository repository,
            AuditedChanges changes, OverrideService overrides, DefinitionLock lock,
            SegmentRepository segmentRepository) {
        this.lock = lock;
        this.segmentRepository = segmentRepository;
        this.overrides = overrides;
        this.flags = flags;
        this.catalogs = catalogs;
        this.repository = repository;
        this.changes = changes;
    }

    /** Every flag and segment by key, sorted, with the catalog's version and last update. */
    public ConfigurationDocument export() {
        Catalog catalog = catalogs.require();
        Map<String, FlagDocument> documents = new TreeMap<>();
        catalog.flags().forEach(flag -> documents.put(flag.key(), FlagDocument.of(flag)));
        Map<String, SegmentDocument> segments = new TreeMap<>();
        catalog.segments().forEach(segment -> segments.put(segment.key(), SegmentDocument.of(segment)));
        return new ConfigurationDocument(documents, segments, catalog.lastUpdated(), catalog.version(), null);
    }

    /** What applying the document needs: the flags to write, and the plan to answer. */
    private record Target(List<FlagDefinition> created, List<FlagDefinition[]> updated, List<FlagDefinition> deleted,
            SegmentPlan.Target segments, ConfigurationPlan plan) {
    }

    /**
     * Applies {@code document}: with {@code prune}, flags it does not name are deleted, except widget
     * flags and flags with a rollout in progress unless listed in {@code pruneAlso}.
     */
    public Uni<ConfigurationPlan> apply(ConfigurationDocument document, boolean prune, Set<String> pruneAlso,
            boolean dryRun, String actor) {
        if (document == null || document.flags() == null) {
            throw new InvalidInputException("flags", "is required: {\"flags\": {\"name\": {...}}}");
        }
        String reason = dryRun ? Reasons.optional(document.reason()) : Reasons.require(document.reason());
        Catalog current = catalogs.require();
        if (document.version() != null && document.version() != current.version()) {
            throw new ConflictException("The catalog is at version " + current.version() + ", not "
                    + document.version() + "; export it again and reapply your change");
        }
        Target target = plan(document, current, prune, pruneAlso);
        if (dryRun || target.plan().changesNothing()) {
            return Uni.createFrom().item(target.plan());
        }
        return changes.write(() -> lock.hold()
                .chain(repository::lockCatalogVersion)
                .chain(stored -> {
                    if (stored != current.version()) {
                        return Uni.createFrom().<Outcome<Long>>failure(new ConflictException("The catalog changed "
                                + "while the document was being applied; export it again and retry"));
                    }
                    return write(target, reason, actor).map(removed -> Outcome.of(stored + 1,
                            entries(target, removed, reason, actor)));
                }))
                .call(() -> catalogs.refresh())
                .invoke(outcome -> LOG.infof("Configuration applied by %s: flags %d created, %d updated, %d deleted; "
                        + "segments %s (%s)", actor, target.created().size(), target.updated().size(),
                        target.deleted().size(), target.plan().segments(), reason))
                .map(outcome -> target.plan().applied(outcome.result()));
    }

    /** Writes the plan; answers the audit entries of the override leaves the deleted flags took with them. */
    private Uni<List<AuditEntry>> write(Target target, String reason, String actor) {
        List<AuditEntry> removed = new ArrayList<>();
        Multi<Object> steps = Multi.createBy().concatenating().streams(
                Multi.createFrom().iterable(target.deleted()).onItem().transformToUniAndConcatenate(flag -> repository
                        .delete(flag.key(), flag.version())
                        .invoke(deleted -> stale(deleted, flag.key()))
                        .chain(() -> overrides.removeFlag(flag.key(), reason, actor))
                        .invoke(removed::addAll).replaceWith((Object) flag)),
                Multi.createFrom().iterable(target.created()).onItem().transformToUniAndConcatenate(flag -> repository
                        .insert(flag).invoke(created -> stale(created, flag.key()))
                        .replaceWith((Object) flag)),
                Multi.createFrom().iterable(target.updated()).onItem().transformToUniAndConcatenate(pair -> repository
                        .update(pair[1], pair[0].version()).invoke(updated -> stale(updated, pair[0].key()))
                        .replaceWith((Object) pair[1])));
        SegmentPlan.Target segments = target.segments();
        Multi<Object> segmentsFirst = Multi.createBy().concatenating().streams(
                Multi.createFrom().iterable(segments.created()).onItem()
                        .transformToUniAndConcatenate(segment -> segmentRepository.insert(segment)
                                .invoke(created -> stale(created, segment.key()))
                                .replaceWith((Object) segment)),
                Multi.createFrom().iterable(segments.updated()).onItem().transformToUniAndConcatenate(
                        pair -> segmentRepository.update(pair[1], pair[0].version()).invoke(updated -> stale(updated,
                                pair[0].key())).replaceWith((Object) pair[1])));
        // a flag may name a segment the document creates, and stop naming one it deletes
        Multi<Object> segmentsLast = Multi.createFrom().iterable(segments.deleted()).onItem()
                .transformToUniAndConcatenate(segment -> segmentRepository.delete(segment.key(), segment.version())
                        .invoke(deleted -> stale(deleted, segment.key())).replaceWith((Object) segment));
        return Multi.createBy().concatenating().streams(segmentsFirst, steps, segmentsLast).collect().asList()
                .chain(repository::bumpCatalogVersion).replaceWith(removed);
    }

    private static void stale(boolean written, String key) {
        if (!written) {
            throw new ConflictException(key + " changed while the document was being applied; export it again");
        }
    }

    private static List<AuditEntry> entries(Target target, List<AuditEntry> removed, String reason, String actor) {
        List<AuditEntry> entries = new ArrayList<>();
        target.created().forEach(flag -> entries.add(entry(flag.key(), "flag.create", null, flag, reason, actor)));
        target.updated().forEach(pair -> entries.add(entry(pair[0].key(), "flag.update", pair[0], pair[1], reason,
                actor)));
        target.deleted().forEach(flag -> entries.add(entry(flag.key(), "flag.delete", flag, null, reason, actor)));
        entries.addAll(removed);
        SegmentPlan.Target segments = target.segments();
        segments.created().forEach(segment -> entries.add(segmentEntry("segment.create", null, segment, reason,
                actor)));
        segments.updated().forEach(pair -> entries.add(segmentEntry("segment.update", pair[0], pair[1], reason,
                actor)));
        segments.deleted().forEach(segment -> entries.add(segmentEntry("segment.delete", segment, null, reason,
                actor)));
        return entries;
    }

    private static AuditEntry entry(String key, String action, FlagDefinition before, FlagDefinition after,
            String reason, String actor) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("source", "configuration document");
        if (before != null) {
            details.put("before", FlagView.of(before));
        }
        if (after != null) {
            details.put("after", FlagView.of(after));
        }
        return AuditEntry.flag(key, action, before == null ? null : before.enabled(),
                after == null ? null : after.enabled(), details, actor, reason);
    }

    private static AuditEntry segmentEntry(String action, Segment before, Segment after, String reason,
            String actor) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("source", "configuration document");
        if (before != null) {
            details.put("before", SegmentDocument.of(before));
        }
        if (after != null) {
            details.put("after", SegmentDocument.of(after));
        }
        return AuditEntry.segment(before != null ? before.key() : after.key(), action, details, actor, reason);
    }

    /**
     * Validates the document against the catalog it would make and works out the plan. Every problem of
     * every flag is reported at once (400), named {@code flags.<name>.<field>}; nothing is applied.
     */
    private Target plan(ConfigurationDocument document, Catalog current, boolean prune, Set<String> pruneAlso) {
        Map<String, FlagDocument> named = new TreeMap<>(document.flags());
        // names in the document are keys; an existing flag's alias is accepted for it
        Map<String, FlagDefinition> existing = new HashMap<>();
        current.flags().forEach(flag -> existing.put(flag.key(), flag));
        Map<String, String> keyOf = new HashMap<>();
        named.keySet().forEach(name -> keyOf.put(name, current.find(name).map(FlagDefinition::key).orElse(name)));

        List<String> protectedFromPruning = new ArrayList<>();
        List<FlagDefinition> deleted = new ArrayList<>();
        List<FlagDefinition> kept = new ArrayList<>();
        for (FlagDefinition flag : current.flags()) {
            if (keyOf.containsValue(flag.key())) {
                continue;
            }
            if (!prune) {
                kept.add(flag);
            } else if (isProtected(flag, current) && !pruneAlso.contains(flag.key())
                    && (flag.alias() == null || !pruneAlso.contains(flag.alias()))) {
                protectedFromPruning.add(flag.key());
                kept.add(flag);
            } else {
                deleted.add(flag);
            }
        }

        // first pass: the target catalog, so prerequisites may name flags the document creates
        List<FlagDefinition> placeholders = new ArrayList<>(kept);
        named.forEach((name, doc) -> {
            FlagDefinition before = existing.get(keyOf.get(name));
            placeholders.add(new FlagDefinition(keyOf.get(name), before == null ? null : before.alias(), "", "g",
                    true, false, Map.of(), canonical(doc == null ? null : doc.prerequisites(), current, keyOf), 0));
        });
        List<Violation> violations = new ArrayList<>();
        SegmentPlan.Target segments = SegmentPlan.of(document.segments(), current, prune, violations);
        Catalog target = new Catalog(placeholders, List.of(), segments.after(), 0, Instant.EPOCH, Instant.EPOCH, -1);

        List<FlagDefinition> created = new ArrayList<>();
        List<FlagDefinition[]> updated = new ArrayList<>();
        List<ConfigurationPlan.Update> updates = new ArrayList<>();
        List<String> unchanged = new ArrayList<>();
        named.forEach((name, doc) -> {
            String prefix = "flags." + name + ".";
            if (doc == null) {
                violations.add(new Violation("flags." + name, "must be a flag definition"));
                return;
            }
            String key = keyOf.get(name);
            FlagDefinition before = existing.get(key);
            List<Violation> own = new ArrayList<>();
            if (before == null) {
                FlagValidation.documentKey(key, target, own);
            }
            FlagDefinition after = null;
            try {
                after = flags.documentDefinition(doc.request(key), target, before);
            } catch (InvalidInputException e) {
                own.addAll(e.violations());
            }
            own.forEach(v -> violations.add(new Violation(prefix + v.field(), v.reason())));
            if (after == null || !own.isEmpty()) {
                return;
            }
            if (before == null) {
                created.add(after);
                return;
            }
            Map<String, Map<String, Object>> diff = diff(FlagDocument.of(before), FlagDocument.of(after));
            if (diff.isEmpty()) {
                unchanged.add(key);
            } else {
                updated.add(new FlagDefinition[]{ before, after });
                updates.add(new ConfigurationPlan.Update(key, diff));
            }
        });
        for (FlagDefinition flag : kept) {
            for (String prerequisite : flag.prerequisites()) {
                if (deleted.stream().anyMatch(gone -> gone.key().equals(prerequisite))) {
                    violations.add(new Violation("flags", flag.key() + " needs " + prerequisite
                            + ", which pruning would delete"));
                }
            }
        }
        SegmentPlan.stillNamed(kept, segments.deleted(), violations);
        if (!violations.isEmpty()) {
            throw new InvalidInputException(violations);
        }
        ConfigurationPlan plan = new ConfigurationPlan(created.stream().map(FlagDefinition::key).toList(), updates,
                deleted.stream().map(FlagDefinition::key).toList(), unchanged, protectedFromPruning, segments.plan(),
                false, current.version());
        return new Target(created, updated, deleted, segments, plan);
    }

    /** Widget flags and flags whose rollout is under way are deleted only when named. */
    private static boolean isProtected(FlagDefinition flag, Catalog catalog) {
        Rollout rollout = catalog.rollout(flag.key());
        boolean inProgress = rollout != null && (rollout.status() == RolloutStatus.ACTIVE
                || rollout.status() == RolloutStatus.PAUSED);
        return flag.alias() != null || inProgress;
    }

    private static List<String> canonical(List<String> names, Catalog current, Map<String, String> keyOf) {
        if (names == null) {
            return List.of();
        }
        return names.stream().filter(Objects::nonNull)
                .map(name -> keyOf.containsKey(name)
                        ? keyOf.get(name)
                        : current.find(name).map(FlagDefinition::key).orElse(name))
                .distinct().toList();
    }

    private static Map<String, Map<String, Object>> diff(FlagDocument before, FlagDocument after) {
        Map<String, Map<String, Object>> changes = new LinkedHashMap<>();
        Map<String, Object> was = before.fields();
        after.fields().forEach((field, value) -> {
            if (!Objects.equals(String.valueOf(was.get(field)), String.valueOf(value))) {
                Map<String, Object> change = new LinkedHashMap<>();
                change.put("before", was.get(field));
                change.put("after", value);
                changes.put(field, change);
            }
        });
        return changes;
    }
}
