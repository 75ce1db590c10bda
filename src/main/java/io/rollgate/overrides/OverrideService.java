package io.rollgate.overrides;

import io.rollgate.audit.AuditEntry;
import io.rollgate.audit.AuditedChanges;
import io.rollgate.audit.AuditedChanges.Outcome;
import io.rollgate.catalog.CatalogService;
import io.rollgate.catalog.RollgateConfig;
import io.rollgate.database.Database;
import io.rollgate.engine.Catalog;
import io.rollgate.engine.EvaluationContext;
import io.rollgate.engine.Evaluator;
import io.rollgate.engine.FlagDefinition;
import io.rollgate.engine.OverrideDocument;
import io.rollgate.errors.ConflictException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import org.jboss.logging.Logger;

/**
 * Changes to customer and organization override documents (setCustomerFlags and
 * setOrganizationFlags). Each change locks the document, writes it and one audit row per changed
 * leaf in one transaction, then refreshes the cache.
 */
@ApplicationScoped
public class OverrideService {

    private static final Logger LOG = Logger.getLogger(OverrideService.class);

    private final OverrideRepository repository;
    private final OverrideCache cache;
    private final CatalogService catalogs;
    private final Database database;
    private final RollgateConfig flags;
    private final AuditedChanges changes;

    public OverrideService(OverrideRepository repository, OverrideCache cache, CatalogService catalogs,
            Database database, RollgateConfig flags, AuditedChanges changes) {
        this.changes = changes;
        this.repository = repository;
        this.cache = cache;
        this.catalogs = catalogs;
        this.database = database;
        this.flags = flags;
    }

    /**
     * Removes a deleted flag's leaf from every document, inside the deletion's audited change: answers the audit entry
     * of each document that lost one.
     */
    public Uni<List<AuditEntry>> removeFlag(String key, String reason, String actor) {
        return repository.removeLeaves(key).map(removed -> removed.stream()
                .map(leaf -> AuditEntry.override(leaf.scope(), leaf.id(), key, leaf.value(), null, actor, reason))
                .toList());
    }

    /** The stored document, read from the database (the admin view is never stale). */
    public Uni<OverrideDocument> get(Scope scope, String id) {
        database.requireUp();
        return repository.find(scope, id)
                .plug(database::bounded);
    }

    /** Who holds override documents in a scope, most recently changed first. */
    public Uni<OverrideHolders> holders(Scope scope, int page, int size) {
        database.requireUp();
        return repository.holders(scope, page, size).plug(database::bounded);
    }

    /** Replaces the whole document. */
    public Uni<OverrideChange> replace(Scope scope, String id, Map<String, ?> document, String version,
            String reason, String actor) {
        Map<String, Boolean> leaves = OverrideDocument.parse(document, catalogs.require(), false);
        return change(scope, id, version, before -> OverrideDocument.of(leaves), reason, actor);
    }

    /** Merges a partial document leaf by leaf; a null leaf removes that override (JSON merge patch). */
    public Uni<OverrideChange> merge(Scope scope, String id, Map<String, ?> patch, String version, String reason,
            String actor) {
        Map<String, Boolean> leaves = OverrideDocument.parse(patch, catalogs.require(), true);
        return change(scope, id, version, before -> before.merge(leaves), reason, actor);
    }

    /** Sets one flag, named by its canonical key. */
    public Uni<OverrideChange> set(Scope scope, String id, String key, boolean value, String reason, String actor) {
        Map<String, Boolean> leaf = Map.of(key, value);
        return change(scope, id, null, before -> before.merge(leaf), reason, actor);
    }

    /** Removes every override of the scope. */
    public Uni<OverrideChange> clear(Scope scope, String id, String version, String reason, String actor) {
        return change(scope, id, version, before -> OverrideDocument.EMPTY, reason, actor);
    }

    /**
     * Edits the document under its lock; with {@code version} (what the editor read), only if the document is still
     * that one: two operators editing the same customer never silently undo each other's overrides.
     */
    private Uni<OverrideChange> change(Scope scope, String id, String version, UnaryOperator<OverrideDocument> edit,
            String reason, String actor) {
        Catalog catalog = catalogs.require();
        return changes.write(() -> repository.lock(scope, id)
                .chain(before -> {
                    if (version != null && !version.equals(before.version())) {
                        throw new ConflictException("The " + scope.wireName() + " " + id + "'s overrides changed "
                                + "since version " + version + " was read (now " + before.version()
                                + "); nothing was changed: read them again and re-apply the change");
                    }
                    OverrideDocument after = edit.apply(before);
                    List<AuditEntry> entries = diff(catalog, scope, id, before, after, reason, actor);
                    if (entries.isEmpty()) {
                        return Uni.createFrom().item(Outcome.unchanged(after));
                    }
                    return repository.save(scope, id, after, actor)
                            .replaceWith(Outcome.of(after, entries));
                }))
                .call(outcome -> cache.written(scope, id, outcome.result()))
                .invoke(outcome -> outcome.entries().forEach(entry -> LOG.infof(
                        "Feature flag changed: %s %s %s %s -> %s by %s (%s)", scope.wireName(), id,
                        entry.flagPath(), entry.oldValue(), entry.newValue(), actor, reason)))
                .map(outcome -> new OverrideChange(true, scope.wireName(), id, outcome.result().toNested(),
                        outcome.result().version(),
                        outcome.entries()));
    }

    private List<AuditEntry> diff(Catalog catalog, Scope scope, String id, OverrideDocument before,
            OverrideDocument after, String reason, String actor) {
        TreeSet<String> keys = new TreeSet<>(before.leaves().keySet());
        keys.addAll(after.leaves().keySet());
        List<AuditEntry> entries = new ArrayList<>();
        Evaluator evaluator = new Evaluator();
        EvaluationContext context = EvaluationContext.of(scope == Scope.CUSTOMER ? id : null,
                scope == Scope.ORGANIZATION ? id : null, flags.environment());
        for (String key : keys) {
            Boolean previous = before.get(key);
            Boolean next = after.get(key);
            if (Objects.equals(previous, next)) {
                continue;
            }
            // the old value is what the scope was actually served (kill switch, prerequisites, rules and
            // rollouts included); the new one is the override set, or what is served once it is removed
            FlagDefinition flag = catalog.find(key).orElse(null);
            Boolean served = flag == null ? previous : served(evaluator, catalog, flag, context, scope, before);
            Boolean serves = (next != null || flag == null)
                    ? next
                    : served(evaluator, catalog, flag, context, scope, after);
            entries.add(AuditEntry.override(scope.wireName(), id, key, served, serves, actor, reason));
        }
        return entries;
    }

    private static boolean served(Evaluator evaluator, Catalog catalog, FlagDefinition flag, EvaluationContext context,
            Scope scope, OverrideDocument document) {
        return evaluator.evaluate(catalog, flag, context, scope == Scope.CUSTOMER ? document : null,
                scope == Scope.ORGANIZATION ? document : null).value();
    }
}
