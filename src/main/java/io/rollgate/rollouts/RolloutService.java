package io.rollgate.rollouts;

import io.rollgate.audit.AuditEntry;
import io.rollgate.audit.AuditedChanges;
import io.rollgate.audit.AuditedChanges.Outcome;
import io.rollgate.audit.Reasons;
import io.rollgate.catalog.CatalogService;
import io.rollgate.database.Database;
import io.rollgate.engine.Catalog;
import io.rollgate.engine.FlagDefinition;
import io.rollgate.engine.Ids;
import io.rollgate.engine.Rollout;
import io.rollgate.errors.ConflictException;
import io.rollgate.errors.InvalidInputException;
import io.rollgate.errors.NotFoundException;
import io.rollgate.events.EventStatistics;
import io.rollgate.events.WindowStats;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.jboss.logging.Logger;

/**
 * The rollout manager: lifecycle, statistics, decisions and the automatic check.
 * Every change is written with its audit row in one transaction, guarded by the rollout's version, and
 * the evaluation snapshot reloads after it, so a rollback is effective on the next read.
 */
@ApplicationScoped
public class RolloutService {

    private static final Logger LOG = Logger.getLogger(RolloutService.class);

    private final RolloutRepository repository;
    private final EventStatistics events;
    private final CatalogService catalogs;
    private final RolloutMetrics metrics;
    private final Database database;
    private final RolloutMachine machine;
    private final RolloutRules rules;
    private final RolloutAudit audit;
    private final Clock clock;
    private final AuditedChanges changes;

    public RolloutService(RolloutRepository repository, EventStatistics events, CatalogService catalogs,
            RolloutMetrics metrics, Database database, RolloutRules rules, RolloutAudit audit, Clock clock,
            AuditedChanges changes) {
        this.rules = rules;
        this.audit = audit;
        this.changes = changes;
        this.repository = repository;
        this.events = events;
        this.catalogs = catalogs;
        this.metrics = metrics;
        this.database = database;
        this.clock = clock;
        this.machine = rules.machine();
    }

    public Uni<RolloutView> create(RolloutRequests.Create request, String actor) {
        if (request == null) {
            throw new InvalidInputException("body", "is required");
        }
        if (request.featureName() == null || catalogs.require().find(request.featureName()).isEmpty()) {
            throw new InvalidInputException("featureName", "is not a known flag");
        }
        FlagDefinition flag = flag(request.featureName());
        if (flag.typed()) {
            throw new InvalidInputException("featureName", "is a typed flag: a rollout widens on and off; split its "
                    + "variants instead");
        }
        RolloutRecord draft = rules.draft(flag.key(), request);
        return changes.write(() -> repository.insert(draft)
                .chain(created -> {
                    if (!created) {
                        return Uni.createFrom().failure(new ConflictException(
                                flag.key() + " already has a rollout"));
                    }
                    return Uni.createFrom().item(Outcome.of(draft, AuditEntry.rollout(flag.key(),
                            "rollout.create", audit.details(null, draft, Map.of()), actor, request.reason())));
                }))
                .call(ignored -> reload())
                .invoke(() -> LOG.infof("Rollout created: %s by %s", flag.key(), actor))
                .map(ignored -> RolloutView.of(draft, flag.alias(), machine.policyOf(draft)));
    }

    public Uni<List<RolloutView>> list() {
        database.requireUp();
        Catalog catalog = catalogs.require();
        return database.bounded(repository.all()).map(records -> records.stream()
                .map(r -> RolloutView.of(r, alias(catalog, r.featureName()), machine.policyOf(r))).toList());
    }

    public Uni<RolloutView> get(String featureName) {
        FlagDefinition flag = flag(featureName);
        return existing(flag).map(r -> RolloutView.of(r, flag.alias(), machine.policyOf(r)));
    }

    public Uni<RolloutStatsView> stats(String featureName) {
        FlagDefinition flag = flag(featureName);
        return existing(flag).chain(r -> database.bounded(statsOf(r)));
    }

    /** The statistics of every rollout, for pages that show them all (one request instead of one per rollout). */
    public Uni<List<RolloutStatsView>> allStats() {
        database.requireUp();
        return database.bounded(repository.all()
                .chain(records -> Multi.createFrom().iterable(records)
                        .onItem().transformToUniAndConcatenate(this::statsOf)
                        .collect().asList()));
    }

    private Uni<RolloutStatsView> statsOf(RolloutRecord r) {
        String key = r.featureName();
        return Uni.combine().all()
                .unis(events.window(key, r.evidenceSince(clock.instant())),
                        events.enabledCustomers(key, r.evidenceSince(clock.instant())))
                .asTuple()
                .map(both -> {
                    WindowStats stats = both.getItem1();
                    metrics.errorRate(key, stats.errorRate());
                    metrics.enabledCustomers(key, both.getItem2());
                    return new RolloutStatsView(key, r.tier().wireName(), r.tier().number(), r.percentage(),
                            r.status().wireName(), r.startedAt(), r.tierEnteredAt(), both.getItem2(),
                            stats.errorCount(), stats.successCount(), stats.samples(), stats.errorRate(),
                            stats.successRate(), r.threshold().timeWindow(), machine.criteria(r, stats),
                            machine.timeInTierMetAt(r, stats));
                });
    }

    /** Events per minute for the rollout's chart: enabled, disabled, success and error counts. */
    public Uni<List<Map<String, Object>>> timeline(String featureName, int minutes) {
        FlagDefinition flag = flag(featureName);
        return existing(flag).chain(r -> database.bounded(events.timeline(flag.key(), minutes)));
    }

    /** shouldEnableFeature: what the rollout decides for a customer, from the same snapshot as evaluation. */
    public DecisionView decide(String featureName, String customerId) {
        FlagDefinition flag = flag(featureName);
        Ids.required("customerId", customerId);
        Rollout rollout = catalogs.require().rollout(flag.key());
        if (rollout == null) {
            throw new NotFoundException(flag.key() + " has no rollout");
        }
        Rollout.Decision decision = rollout.decision(customerId);
        // a rollout that decides nobody by status serves no percentage
        int percentage = rollout.status().decides() ? rollout.percentage() : 0;
        return new DecisionView(flag.key(), customerId, decision.enabled(), decision.reason(),
                decision.bucket() == 0 ? null : decision.bucket(), rollout.tier().wireName(), percentage,
                rollout.status().wireName());
    }

    public Uni<RolloutView> start(String featureName, Change change) {
        return transition(featureName, "rollout.start", change, false, (r, s) -> machine.start(r));
    }

    public Uni<RolloutView> advance(String featureName, boolean force, Change change) {
        if (force && (change.reason() == null || change.reason().isBlank())) {
            throw new InvalidInputException("reason", "is required for a forced advance");
        }
        return transition(featureName, force ? "rollout.advance.forced" : "rollout.advance", change, true,
                (r, s) -> machine.advance(r, s, force));
    }

    public Uni<RolloutView> pause(String featureName, Change change) {
        return transition(featureName, "rollout.pause", change, false, (r, s) -> machine.pause(r));
    }

    public Uni<RolloutView> resume(String featureName, Change change) {
        return transition(featureName, "rollout.resume", change, false, (r, s) -> machine.resume(r));
    }

    public Uni<RolloutView> rollback(String featureName, Change change) {
        if (change.reason() == null || change.reason().isBlank()) {
            throw new InvalidInputException("reason", "is required: say why the feature is rolled back");
        }
        // an emergency never waits for a fresh read: whatever was paused or resumed meanwhile, everyone goes back
        // (a rollout already rolled back is still refused by the machine)
        Change anyVersion = new Change(change.actor(), change.reason(), null);
        return transition(featureName, "rollout.rollback", anyVersion, true,
                (r, s) -> machine.rollback(r, change.reason()));
    }

    public Uni<RolloutView> restart(String featureName, Change change) {
        return transition(featureName, "rollout.restart", change, false, (r, s) -> machine.restart(r));
    }

    /** Replaces the rollout's policy (values left out come from the service's defaults). */
    public Uni<RolloutView> updatePolicy(String featureName, RolloutRequests.PolicyChange request, String actor) {
        if (request == null || request.policy() == null) {
            throw new InvalidInputException("policy", "is required");
        }
        Reasons.optional(request.reason());
        RolloutPolicy policy = rules.policy(request.policy());
        return transition(featureName, "rollout.policy", new Change(actor, request.reason(), request.version()), false,
                (r, s) -> r.withPolicy(policy));
    }

    /** Who changes a rollout, why, and (optionally) which version of it they read. */
    public record Change(String actor, String reason, Long expectedVersion) {
    }

    public Uni<RolloutView> updateLists(String featureName, RolloutRequests.Lists request, String actor) {
        if (request == null) {
            throw new InvalidInputException("body", "is required");
        }
        Reasons.optional(request.reason());
        RolloutRules.Lists lists = RolloutRules.lists(request.whitelistedCustomers(), request.blacklistedCustomers());
        List<String> whitelist = lists.whitelist();
        List<String> blacklist = lists.blacklist();
        return transition(featureName, "rollout.lists", new Change(actor, request.reason(), null), false,
                (r, s) -> r.withLists(whitelist, blacklist));
    }

    /**
     * Replaces the configuration a GET answered (lists and policy) in one audited change; the state it also answered
     * is ignored, and a body sent back unchanged changes and audits nothing. A policy equal to the one a
     * threshold-only rollout is judged by leaves it threshold-only.
     */
    public Uni<RolloutView> replace(String featureName, RolloutRequests.Replace request, String actor) {
        if (request == null) {
            throw new InvalidInputException("body", "is required");
        }
        FlagDefinition flag = flag(featureName);
        if (request.featureName() != null && !request.featureName().equals(flag.key())
                && !request.featureName().equals(flag.alias())) {
            throw new InvalidInputException("featureName", "is read-only: this is the rollout of " + flag.key());
        }
        if (request.policy() == null) {
            throw new InvalidInputException("policy", "is required");
        }
        Reasons.optional(request.reason());
        RolloutRules.Lists lists = RolloutRules.lists(request.whitelistedCustomers(), request.blacklistedCustomers());
        RolloutPolicy policy = rules.policy(request.policy());
        return transition(featureName, "rollout.update", new Change(actor, request.reason(), request.version()),
                false, (r, s) -> r.withLists(lists.whitelist(), lists.blacklist())
                        .withPolicy(policy.equals(machine.policyOf(r)) ? r.policy() : policy));
    }

    private record Step(RolloutRecord before, RolloutRecord after, WindowStats stats) {
    }

    private Uni<RolloutView> transition(String featureName, String action, Change who, boolean withStats,
            BiFunction<RolloutRecord, WindowStats, RolloutRecord> change) {
        FlagDefinition flag = flag(featureName);
        String reason = who.reason();
        String actor = who.actor();
        // the evidence is read in the transaction that holds the rollout's row and decides on it
        return changes.write(() -> repository.lock(flag.key())
                .onItem().ifNull().failWith(() -> new NotFoundException(flag.key() + " has no rollout"))
                .chain(before -> {
                    if (who.expectedVersion() != null && who.expectedVersion() != before.version()) {
                        throw new ConflictException("The rollout of " + flag.key() + " is at version "
                                + before.version() + ", not " + who.expectedVersion() + "; read it again and retry");
                    }
                    return (withStats
                            ? events.windowInTransaction(flag.key(), before.evidenceSince(clock.instant()))
                            : Uni.createFrom().item(WindowStats.NONE))
                            .map(stats -> new Step(before, change.apply(before, stats), stats));
                })
                .chain(step -> step.after().equals(step.before())
                        ? Uni.createFrom().item(Outcome.unchanged(step))
                        : repository.update(step.after())
                                .map(updated -> {
                                    if (!updated) {
                                        throw new ConflictException("The rollout of " + flag.key()
                                                + " changed concurrently; read it again and retry");
                                    }
                                    return Outcome.of(step, AuditEntry.rollout(flag.key(), action,
                                            audit.details(step.before(), step.after(), metrics(step, withStats)), actor,
                                            reason));
                                })))
                .call(outcome -> outcome.entries().isEmpty() ? Uni.createFrom().voidItem() : reload())
                .map(outcome -> {
                    Step step = outcome.result();
                    if (outcome.entries().isEmpty()) {
                        return RolloutView.of(step.before(), flag.alias(), machine.policyOf(step.before()));
                    }
                    logTransition(action, step.after(), reason, actor);
                    return RolloutView.of(step.after().stored(), flag.alias(), machine.policyOf(step.after().stored()));
                });
    }

    private void logTransition(String action, RolloutRecord after, String reason, String actor) {
        switch (action) {
            case "rollout.advance", "rollout.advance.forced" -> {
                LOG.infof("Rollout advanced: %s -> %s%s by %s", after.featureName(), after.tier().wireName(),
                        action.endsWith("forced") ? " (forced)" : "", actor);
                metrics.advanced(after.featureName(), false);
            }
            case "rollout.pause" -> {
                LOG.infof("Rollout paused: %s by %s", after.featureName(), actor);
                metrics.paused(after.featureName(), false);
            }
            case "rollout.rollback" -> {
                LOG.warnf("Feature rolled back: %s - %s", after.featureName(), reason);
                metrics.rolledBack(after.featureName(), false);
            }
            default -> LOG.infof("Rollout %s: %s now %s at %s by %s", action.substring("rollout.".length()),
                    after.featureName(), after.status().wireName(), after.tier().wireName(), actor);
        }
    }

    private static Map<String, Object> metrics(Step step, boolean withStats) {
        if (!withStats) {
            return Map.of();
        }
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("errorRate", step.stats().errorRate());
        metrics.put("successRate", step.stats().successRate());
        metrics.put("samples", step.stats().samples());
        return metrics;
    }

    /**
     * Reloads the evaluation snapshot after a committed change, so this replica serves it before answering (its
     * installation registers a new rollout's metrics); if that read fails, the change feed retries it within a second.
     */
    private Uni<Void> reload() {
        return catalogs.refresh().replaceWithVoid();
    }

    /**
     * The events that judge a rollout: within its threshold's window and since it entered its tier (which
     * a restart resets), so a restarted rollout is judged on new evidence only.
     */
    private Uni<RolloutRecord> existing(FlagDefinition flag) {
        database.requireUp();
        return database.bounded(repository.byFlag(flag.key()))
                .onItem().ifNull().failWith(() -> new NotFoundException(flag.key() + " has no rollout"));
    }

    private FlagDefinition flag(String featureName) {
        if (featureName == null || featureName.isBlank()) {
            throw new InvalidInputException("featureName", "is required");
        }
        return catalogs.require().find(featureName)
                .orElseThrow(() -> new NotFoundException(featureName + " is not a known flag"));
    }

    private static String alias(Catalog catalog, String key) {
        return catalog.find(key).map(FlagDefinition::alias).orElse(null);
    }

}
