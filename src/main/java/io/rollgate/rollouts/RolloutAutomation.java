package io.rollgate.rollouts;

import io.rollgate.audit.AuditEntry;
import io.rollgate.audit.AuditedChanges;
import io.rollgate.audit.AuditedChanges.Outcome;
import io.rollgate.catalog.CatalogService;
import io.rollgate.events.EventStatistics;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * The automatic check: every active rollout judged on its evidence under its policy, rolled back, paused or
 * advanced by itself, with what it saw in the audit trail.
 */
@ApplicationScoped
public class RolloutAutomation {

    private static final Logger LOG = Logger.getLogger(RolloutAutomation.class);

    private final AuditedChanges changes;
    private final RolloutRepository repository;
    private final EventStatistics events;
    private final RolloutMetrics metrics;
    private final CatalogService catalogs;
    private final RolloutMachine machine;
    private final RolloutAudit audit;
    private final Clock clock;

    public RolloutAutomation(AuditedChanges changes, RolloutRepository repository, EventStatistics events,
            RolloutMetrics metrics, CatalogService catalogs, RolloutRules rules, RolloutAudit audit, Clock clock) {
        this.changes = changes;
        this.repository = repository;
        this.events = events;
        this.metrics = metrics;
        this.catalogs = catalogs;
        this.machine = rules.machine();
        this.audit = audit;
        this.clock = clock;
    }

    /**
     * One automatic check of every active rollout, in one transaction holding their rows: breach streaks
     * are stored, and a rollout whose streak reaches its threshold is rolled back with the evidence.
     * Returns the rollbacks made.
     */
    public Uni<List<RolloutRecord>> checkActive() {
        return changes.write(() -> repository.lockActive()
                .chain(active -> Multi.createFrom().iterable(active)
                        .onItem().transformToUniAndConcatenate(rollout -> events.windowInTransaction(
                                rollout.featureName(), rollout.evidenceSince(clock.instant()))
                                .chain(stats -> {
                                    metrics.errorRate(rollout.featureName(), stats.errorRate());
                                    metrics.observe(rollout, clock.instant());
                                    RolloutMachine.Check check = machine.check(rollout, stats);
                                    metrics.checked(rollout.featureName(), check.verdict());
                                    if (check.rollout().equals(rollout)) {
                                        return Uni.createFrom().<Acted>nullItem();
                                    }
                                    Uni<Boolean> saved = repository.update(check.rollout());
                                    AuditEntry entry = audit.automaticEntry(rollout, check, stats);
                                    return entry == null
                                            ? saved.replaceWith(Uni.createFrom().<Acted>nullItem())
                                            : saved.replaceWith(new Acted(check.rollout(), check.verdict(), entry));
                                }))
                        .collect().asList()
                        .map(acted -> Outcome.of(acted, acted.stream().map(Acted::entry).toList()))))
                .map(Outcome::result)
                .call(acted -> acted.isEmpty()
                        ? Uni.createFrom().voidItem()
                        : catalogs.refresh().replaceWithVoid())
                .invoke(acted -> acted.forEach(this::logAutomatic))
                .map(acted -> acted.stream().filter(a -> a.verdict() == RolloutMachine.Verdict.ROLLBACK)
                        .map(Acted::rollout).toList());
    }

    private void logAutomatic(Acted acted) {
        RolloutRecord r = acted.rollout();
        switch (acted.verdict()) {
            case ROLLBACK -> {
                LOG.warnf("Feature rolled back: %s - %s", r.featureName(), r.rollbackReason());
                metrics.rolledBack(r.featureName(), true);
            }
            case PAUSE -> {
                LOG.warnf("Rollout paused: %s - %s", r.featureName(), r.pauseReason());
                metrics.paused(r.featureName(), true);
            }
            case ADVANCE -> {
                LOG.infof("Rollout advanced: %s -> %s by %s", r.featureName(), r.tier().wireName(),
                        RolloutAudit.AUTO_ADVANCE_ACTOR);
                metrics.advanced(r.featureName(), true);
            }
            default -> {
            }
        }
    }

    /** What the automatic check did to a rollout by itself, and the audit entry that records its evidence. */
    private record Acted(RolloutRecord rollout, RolloutMachine.Verdict verdict, AuditEntry entry) {
    }

}
