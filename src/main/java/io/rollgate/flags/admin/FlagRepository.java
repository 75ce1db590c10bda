package io.rollgate.flags.admin;

import com.fasterxml.jackson.core.type.TypeReference;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import io.rollgate.catalog.Rules;
import io.rollgate.database.JsonColumns;
import io.rollgate.engine.FlagDefinition;
import io.rollgate.engine.Variants;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Flag definitions as operators change them, in the current transaction. The evaluation does not read
 * through here: it reads every flag at once into its snapshot (catalog.FlagCatalogRepository).
 */
@ApplicationScoped
public class FlagRepository implements PanacheRepositoryBase<FlagRow, String> {

    private final JsonColumns json;

    private final Clock clock;

    public FlagRepository(JsonColumns json, Clock clock) {
        this.json = json;
        this.clock = clock;
    }

    private static final TypeReference<List<Map<String, Object>>> RULES = new TypeReference<>() {
    };
    private static final TypeReference<Map<String, Boolean>> DEFAULTS = new TypeReference<>() {
    };
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };
    private static final Sort CATALOG_ORDER = Sort.by("group").and("sortOrder").and("key");

    /** Every flag as the transaction sees it. */
    public Uni<List<FlagDefinition>> definitions() {
        return listAll(CATALOG_ORDER).map(rows -> rows.stream().map(this::toDefinition).toList());
    }

    /** A new flag, listed after every other; false when the key (or an alias) is taken. */
    public Uni<Boolean> insert(FlagDefinition flag) {
        return count("key = ?1 or alias = ?1", flag.key()).chain(taken -> {
            if (taken > 0) {
                return Uni.createFrom().item(false);
            }
            return getSession()
                    .chain(session -> session.createQuery("select coalesce(max(f.sortOrder), 0) from FlagRow f",
                            Integer.class).getSingleResult())
                    .chain(last -> {
                        FlagRow row = new FlagRow();
                        row.key = flag.key();
                        row.sortOrder = last + 1;
                        apply(flag, row);
                        return persist(row).replaceWith(true);
                    });
        });
    }

    /** Replaces a flag's definition if it still has {@code expectedVersion}; false otherwise. */
    public Uni<Boolean> update(FlagDefinition flag, long expectedVersion) {
        return current(flag.key(), expectedVersion).map(row -> {
            if (row == null) {
                return false;
            }
            apply(flag, row);
            return true;
        });
    }

    /** Deletes a flag if it still has {@code expectedVersion}; false otherwise. */
    public Uni<Boolean> delete(String key, long expectedVersion) {
        return current(key, expectedVersion)
                .chain(row -> row == null ? Uni.createFrom().item(false) : delete(row).replaceWith(true));
    }

    /** Locks the flag's row and returns its kill-switch state, or null when there is no such flag. */
    public Uni<Boolean> lockEnabled(String key) {
        return findById(key, LockModeType.PESSIMISTIC_WRITE).map(row -> row == null ? null : row.enabled);
    }

    /** Throws or releases the kill switch of a flag locked by {@link #lockEnabled}. */
    public Uni<Void> setEnabled(String key, boolean enabled) {
        return findById(key).invoke(row -> {
            row.enabled = enabled;
            row.updatedAt = clock.instant();
        }).replaceWithVoid();
    }

    /** The catalog version, its row locked until the transaction ends. */
    public Uni<Long> lockCatalogVersion() {
        return getSession().chain(session -> session
                .createNativeQuery("SELECT version FROM catalog_state FOR UPDATE", Long.class)
                .getSingleResult());
    }

    /**
     * Bumps the catalog version (the configuration document's) once in the transaction: a write of feature_flags in
     * it has bumped it already (the table's trigger, which bumps for runbook SQL too), and then this does nothing.
     */
    public Uni<Void> bumpCatalogVersion() {
        return getSession().chain(session -> session
                .createNativeQuery("UPDATE catalog_state SET version = version + 1, last_updated = now(), "
                        + "last_txid = txid_current() WHERE last_txid IS DISTINCT FROM txid_current()")
                .executeUpdate())
                .replaceWithVoid();
    }

    /**
     * The flag's row if it still has {@code expectedVersion}; null otherwise. Its version guards the write
     * (a concurrent change makes the flush fail with a conflict); definition writes also hold
     * {@link io.rollgate.flags.DefinitionLock}.
     */
    private Uni<FlagRow> current(String key, long expectedVersion) {
        return findById(key)
                .map(row -> row != null && row.version == expectedVersion ? row : null);
    }

    private void apply(FlagDefinition flag, FlagRow row) {
        row.description = flag.description();
        row.group = flag.group();
        row.enabled = flag.enabled();
        row.defaultValue = flag.defaultValue();
        row.environmentDefaults = json.write(flag.environmentDefaults());
        row.prerequisites = flag.prerequisites().toArray(String[]::new);
        row.rules = json.write(Rules.toDtos(flag.rules()));
        row.variants = json.write(Rules.toStored(flag.variants()));
        row.rolloutPercentage = flag.rolloutPercentage();
        row.updatedAt = clock.instant();
    }

    private FlagDefinition toDefinition(FlagRow row) {
        Variants variants = Rules.fromStored(json.read(row.variants, MAP, "feature_flags.variants"));
        return new FlagDefinition(row.key, row.alias, row.description, row.group, row.enabled, row.defaultValue,
                json.read(row.environmentDefaults, DEFAULTS, "feature_flags.environment_defaults"),
                Arrays.asList(row.prerequisites),
                Rules.fromStored(json.read(row.rules, RULES, "feature_flags.rules"), variants),
                row.rolloutPercentage, row.version, variants);
    }
}
