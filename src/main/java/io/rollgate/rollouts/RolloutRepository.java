package io.rollgate.rollouts;

import com.fasterxml.jackson.core.type.TypeReference;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import io.rollgate.database.JsonColumns;
import io.rollgate.engine.RolloutStatus;
import io.rollgate.engine.Tier;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.time.Clock;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jboss.logging.Logger;

/** Rollouts (feature_rollouts), one per flag. Updates carry the version they read: a concurrent change makes them miss. */
@ApplicationScoped
public class RolloutRepository implements PanacheRepositoryBase<RolloutRow, UUID> {

    private static final Logger LOG = Logger.getLogger(RolloutRepository.class);
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };
    private static final TypeReference<List<Map<String, Object>>> HISTORY = new TypeReference<>() {
    };
    private static final Sort BY_FLAG = Sort.by("flagKey");

    private final JsonColumns json;

    private final Clock clock;

    public RolloutRepository(JsonColumns json, Clock clock) {
        this.json = json;
        this.clock = clock;
    }

    /** The rollout of a flag (canonical key), or null. */
    public Uni<RolloutRecord> byFlag(String flagKey) {
        return Panache.withSession(() -> find("flagKey", flagKey).firstResult())
                .map(row -> row == null ? null : toRecord(row));
    }

    /** The rollout of a flag, its row locked until the transaction ends (an operator's step decides on it); or null. */
    public Uni<RolloutRecord> lock(String flagKey) {
        return find("flagKey", flagKey).withLock(LockModeType.PESSIMISTIC_WRITE).firstResult()
                .map(row -> row == null ? null : toRecord(row));
    }

    public Uni<List<RolloutRecord>> all() {
        return Panache.withSession(() -> listAll(BY_FLAG)).map(this::toRecords);
    }

    /**
     * Rollouts serving traffic without an operator hold (active, and completed ones, still watched at
     * 100 %), locked for the current transaction: the automatic check.
     */
    public Uni<List<RolloutRecord>> lockActive() {
        return find("status in ?1", BY_FLAG, List.of(RolloutStatus.ACTIVE.wireName(),
                RolloutStatus.COMPLETED.wireName()))
                .withLock(LockModeType.PESSIMISTIC_WRITE)
                .list()
                .map(this::toRecords);
    }

    /** Stores a new rollout in the current transaction; false when the flag already has one. */
    public Uni<Boolean> insert(RolloutRecord rollout) {
        return count("flagKey", rollout.featureName()).chain(existing -> {
            if (existing > 0) {
                return Uni.createFrom().item(false);
            }
            RolloutRow row = new RolloutRow();
            row.id = UUID.randomUUID();
            row.flagKey = rollout.featureName();
            // the database renames it to the flag's alias, the name the runbooks use
            row.featureName = rollout.featureName();
            apply(rollout, row);
            return persist(row).replaceWith(true);
        });
    }

    /** Writes the new state if the row still has {@code rollout.version()}; false when someone else changed it. */
    public Uni<Boolean> update(RolloutRecord rollout) {
        return find("flagKey", rollout.featureName()).withLock(LockModeType.PESSIMISTIC_WRITE).firstResult()
                .map(row -> {
                    if (row == null || row.version != rollout.version()) {
                        return false;
                    }
                    apply(rollout, row);
                    return true;
                });
    }

    private void apply(RolloutRecord rollout, RolloutRow row) {
        row.currentTier = rollout.tier().wireName();
        row.percentage = rollout.percentage();
        row.status = rollout.status().wireName();
        row.whitelistedCustomers = rollout.whitelist().toArray(String[]::new);
        row.blacklistedCustomers = rollout.blacklist().toArray(String[]::new);
        row.rollbackThreshold = json.write(threshold(rollout.threshold()));
        row.policy = json.write(rollout.policy());
        row.startedAt = rollout.startedAt();
        row.tierEnteredAt = rollout.tierEnteredAt();
        row.completedAt = rollout.completedAt();
        row.breachCount = rollout.breachCount();
        row.rollbackReason = rollout.rollbackReason();
        row.rolledBackAt = rollout.rolledBackAt();
        row.pauseReason = rollout.pauseReason();
        row.updatedAt = clock.instant();
    }

    private List<RolloutRecord> toRecords(List<RolloutRow> rows) {
        return rows.stream().map(this::toRecord).toList();
    }

    private RolloutRecord toRecord(RolloutRow row) {
        return new RolloutRecord(row.flagKey, Tier.fromWire(row.currentTier), row.percentage,
                RolloutStatus.fromWire(row.status), Arrays.asList(row.whitelistedCustomers),
                Arrays.asList(row.blacklistedCustomers),
                threshold(json.read(row.rollbackThreshold, MAP, "feature_rollouts.rollback_threshold")),
                row.startedAt,
                row.tierEnteredAt, row.completedAt, row.breachCount, row.rollbackReason, row.rolledBackAt,
                row.version, policy(row), row.pauseReason, row.pauseCount, row.rollbackCount,
                json.read(row.tierHistory, HISTORY, "feature_rollouts.tier_history"));
    }

    /**
     * The stored policy, or none when the row holds one that does not read as a policy (edited by hand): the rollout
     * is then watched on its rollback threshold, and every other rollout is checked as usual, rather than the whole
     * automatic check failing on one row.
     */
    private RolloutPolicy policy(RolloutRow row) {
        if (row.policy == null) {
            return null;
        }
        try {
            return json.read(row.policy, RolloutPolicy.class, "feature_rollouts.policy");
        } catch (IllegalStateException e) {
            LOG.warnf("The rollout policy stored for %s does not parse (%s): watched on its rollback threshold until "
                    + "the policy is set again", row.flagKey, e.getMessage());
            return null;
        }
    }

    /** Stored under the runbooks' names (timeWindowMs), which hand-written SQL may set. */
    private static Map<String, Object> threshold(RollbackThreshold threshold) {
        Map<String, Object> stored = new LinkedHashMap<>();
        stored.put("errorRate", threshold.errorRate());
        stored.put("timeWindowMs", threshold.timeWindow());
        stored.put("minSamples", threshold.minSamples());
        stored.put("consecutiveBreaches", threshold.consecutiveBreaches());
        return stored;
    }

    private static RollbackThreshold threshold(Map<String, Object> stored) {
        return new RollbackThreshold(
                stored.get("errorRate") instanceof Number n ? n.doubleValue() : null,
                stored.get("timeWindowMs") instanceof Number n ? n.longValue() : null,
                stored.get("minSamples") instanceof Number n ? n.intValue() : null,
                stored.get("consecutiveBreaches") instanceof Number n ? n.intValue() : null)
                .withDefaults();
    }
}
