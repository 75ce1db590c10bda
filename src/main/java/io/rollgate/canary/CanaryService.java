package io.rollgate.canary;

import io.rollgate.audit.AuditEntry;
import io.rollgate.audit.AuditedChanges;
import io.rollgate.audit.AuditedChanges.Outcome;
import io.rollgate.database.Database;
import io.rollgate.errors.ConflictException;
import io.rollgate.errors.InvalidInputException;
import io.rollgate.errors.NotFoundException;
import io.rollgate.errors.Violation;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.jboss.logging.Logger;

/**
 * Canary deployments per service: control, and the automation that advances, completes or rolls back on the
 * canary's numbers. Routing is {@link CanaryRouting}'s, traffic intake {@link CanaryTraffic}'s.
 */
@ApplicationScoped
public class CanaryService {

    private static final Logger LOG = Logger.getLogger(CanaryService.class);
    static final String SYSTEM_ACTOR = "system:canary";
    static final int HISTORY = 10;

    private final CanaryRepository repository;
    private final CanaryMetrics metrics;
    private final Database database;
    private final CanaryMachine machine;
    private final Clock clock;
    private final CanaryRouting routing;
    private final AuditedChanges changes;

    public CanaryService(CanaryRepository repository, CanaryMetrics metrics, Database database,
            Clock clock, CanaryConfig config, AuditedChanges changes, CanaryRouting routing) {
        this.routing = routing;
        this.changes = changes;
        this.repository = repository;
        this.metrics = metrics;
        this.database = database;
        this.machine = new CanaryMachine(clock, config.finalStageMinDuration(), config.finalStageMinRequests());
        this.clock = clock;
    }

    public Uni<CanaryViews.DeploymentView> start(String service, CanaryViews.StartRequest request, String actor) {
        ServiceNames.require(service);
        if (request == null) {
            throw new InvalidInputException("body", "is required");
        }
        List<Violation> violations = new ArrayList<>();
        if (request.version() == null || request.version().isBlank() || request.version().length() > 128) {
            violations.add(new Violation("version", "is required, at most 128 characters"));
        }
        CanaryDeployment.Strategy strategy = request.strategy() == null
                ? CanaryDeployment.Strategy.CANARY
                : CanaryDeployment.Strategy.fromWire(request.strategy());
        if (strategy == null) {
            violations.add(new Violation("strategy", "must be canary or instant"));
        }
        List<CanaryStage> stages = request.stages() == null ? CanaryStage.DEFAULTS : request.stages();
        if (strategy == CanaryDeployment.Strategy.INSTANT) {
            stages = CanaryMachine.instantStages();
        } else {
            violations.addAll(CanaryStage.validate(stages));
        }
        if (!violations.isEmpty()) {
            throw new InvalidInputException(violations);
        }
        var now = clock.instant();
        boolean instant = strategy == CanaryDeployment.Strategy.INSTANT;
        CanaryDeployment deployment = new CanaryDeployment(UUID.randomUUID(), service, request.version(), strategy,
                stages, 0, stages.get(0).percentage(), instant
                        ? CanaryDeployment.Status.COMPLETED
                        : CanaryDeployment.Status.ACTIVE,
                now, now, instant ? now : null, null, 0);
        AuditEntry started = entry(null, deployment, instant ? "canary.instant" : "canary.start", actor,
                request.reason());
        return changes.write(() -> repository.inFlight(service)
                .chain(current -> {
                    if (current == null) {
                        return Uni.createFrom().item(List.<AuditEntry>of());
                    }
                    if (!instant) {
                        return Uni.createFrom().failure(new ConflictException(service + " already has "
                                + current.version() + " in flight; finish or roll it back first"));
                    }
                    // a hotfix supersedes the canary in flight
                    CanaryDeployment superseded = machine.rollback(current,
                            "Superseded by instant deploy of " + request.version());
                    return repository.update(superseded, null).replaceWith(List.of(
                            entry(current, superseded, "canary.rollback", actor, superseded.rollbackReason())));
                })
                .call(() -> repository.insert(deployment))
                .map(superseded -> {
                    List<AuditEntry> entries = new ArrayList<>(superseded);
                    entries.add(started);
                    return Outcome.of(deployment, entries);
                }))
                .call(routing::refresh)
                .invoke(() -> LOG.infof("Canary %s: %s %s by %s", instant ? "instant deploy" : "started", service,
                        request.version(), actor))
                .map(ignored -> view(deployment, StageMetrics.NONE, StageMetrics.NONE));
    }

    public Uni<CanaryViews.DeploymentView> current(String service) {
        ServiceNames.require(service);
        database.requireUp();
        return database.bounded(repository.inFlight(service))
                .onItem().ifNull().failWith(() -> new NotFoundException(service + " has no deployment in flight"))
                .chain(deployment -> database.bounded(repository.stageCounts(deployment.id(),
                        deployment.currentStage()))
                        .map(counts -> view(deployment, metrics(counts.get("canary")), metrics(counts.get("stable")))));
    }

    /** Deletes traffic reports' batch ids kept longer than {@code retention}; answers how many. */
    public Uni<Long> deleteBatchesOlderThan(Duration retention) {
        return repository.deleteBatchesBefore(clock.instant().minus(retention)).invoke(deleted -> {
            if (deleted > 0) {
                LOG.infof("Canary retention: deleted %d request batch ids older than %s", deleted, retention);
            }
        });
    }

    /** Every service with deployments, by name: its stable version and the deployment in flight. */
    public Uni<List<CanaryViews.ServiceEntry>> services() {
        database.requireUp();
        return database.bounded(repository.routingState()).map(deployments -> {
            Map<String, CanaryViews.ServiceEntry> byService = new TreeMap<>();
            for (CanaryDeployment d : deployments) {
                CanaryViews.ServiceEntry known = byService.getOrDefault(d.service(),
                        new CanaryViews.ServiceEntry(d.service(), null, null, null, null));
                byService.put(d.service(), d.status().inFlight()
                        ? new CanaryViews.ServiceEntry(d.service(), known.stableVersion(), d.version(),
                                d.status().wireName(), d.percentage())
                        : new CanaryViews.ServiceEntry(d.service(), d.version(), known.inFlightVersion(),
                                known.status(), known.percentage()));
            }
            return List.copyOf(byService.values());
        });
    }

    public Uni<List<CanaryViews.HistoryEntry>> history(String service) {
        ServiceNames.require(service);
        database.requireUp();
        return database.bounded(repository.history(service, HISTORY)).map(entries -> entries.stream()
                .map(row -> {
                    CanaryDeployment d = row.deployment();
                    return new CanaryViews.HistoryEntry(d.id(), d.version(), d.strategy().wireName(),
                            d.status().wireName(), d.percentage(), d.startedAt(), d.finishedAt(), d.rollbackReason(),
                            row.finalMetrics());
                })
                .toList());
    }

    /* Each control step takes the row version the operator read (null: whatever is stored now). */

    /**
     * The next stage now, if the current one meets its criteria (read in the transaction that holds the row) or the
     * operator forces it; a forced advance is audited as such.
     */
    public Uni<CanaryViews.DeploymentView> advance(String service, String reason, Long expected, boolean force,
            String actor) {
        return control(service, force ? "canary.advance.forced" : "canary.advance", reason, expected, actor,
                before -> repository.stageCountsInTransaction(before.id(), before.currentStage())
                        .map(counts -> machine.advance(before, metrics(counts.get("canary")), force)));
    }

    public Uni<CanaryViews.DeploymentView> pause(String service, String reason, Long expected, String actor) {
        return control(service, "canary.pause", reason, expected, actor, now(machine::pause));
    }

    public Uni<CanaryViews.DeploymentView> resume(String service, String reason, Long expected, String actor) {
        return control(service, "canary.resume", reason, expected, actor, now(machine::resume));
    }

    private static Function<CanaryDeployment, Uni<CanaryDeployment>> now(UnaryOperator<CanaryDeployment> change) {
        return before -> Uni.createFrom().item(() -> change.apply(before));
    }

    public Uni<CanaryViews.DeploymentView> rollback(String service, String reason, Long expected, String actor) {
        if (reason == null || reason.isBlank()) {
            throw new InvalidInputException("reason", "is required: say why the deployment is rolled back");
        }
        return control(service, "canary.rollback", reason, expected, actor, now(d -> machine.rollback(d, reason)));
    }

    private Uni<CanaryViews.DeploymentView> control(String service, String action, String reason, Long expected,
            String actor, Function<CanaryDeployment, Uni<CanaryDeployment>> change) {
        ServiceNames.require(service);
        return changes.write(() -> repository.inFlight(service)
                .onItem().ifNull().failWith(() -> new NotFoundException(service + " has no deployment in flight"))
                .chain(before -> {
                    if (expected != null && expected != before.rowVersion()) {
                        // a double click, or another operator: the second step would act on a state not seen
                        throw new ConflictException("The " + service + " deployment is at row version "
                                + before.rowVersion() + ", not " + expected + "; read it again and retry");
                    }
                    return change.apply(before).chain(after -> finalMetrics(after)
                            .chain(finals -> repository.update(after, finals))
                            .invoke(updated -> {
                                if (!updated) {
                                    throw new ConflictException("The " + service
                                            + " deployment changed concurrently; read it again and retry");
                                }
                            })
                            .replaceWith(Outcome.of(after, entry(before, after, action, actor, reason))));
                }))
                .map(Outcome::result)
                .call(routing::refresh)
                .invoke(after -> LOG.infof("Canary %s: %s %s now %s at %d%% by %s", action.substring(7), service,
                        after.version(), after.status().wireName(), after.percentage(), actor))
                // the write moved the row one version on
                .map(after -> view(after, after.rowVersion() + 1, StageMetrics.NONE, StageMetrics.NONE));
    }

    /** One automation pass over every deployment in flight, holding their rows. */
    public Uni<Void> automate() {
        return changes.write(() -> repository.lockInFlight()
                .chain(inFlight -> Multi.createFrom().iterable(inFlight)
                        .onItem().transformToUniAndConcatenate(deployment -> repository.stageCountsInTransaction(
                                deployment.id(), deployment.currentStage())
                                .chain(counts -> {
                                    StageMetrics canary = metrics(counts.get("canary"));
                                    metrics.update(deployment, canary);
                                    CanaryMachine.Verdict verdict = machine.check(deployment, canary);
                                    CanaryDeployment after = switch (verdict.action()) {
                                        case HOLD -> null;
                                        case ADVANCE, COMPLETE -> machine.advance(deployment);
                                        case ROLLBACK -> machine.rollback(deployment, verdict.reason());
                                    };
                                    if (after == null) {
                                        return Uni.createFrom().<AuditEntry>nullItem();
                                    }
                                    String action = switch (verdict.action()) {
                                        case ROLLBACK -> "canary.auto_rollback";
                                        case COMPLETE -> "canary.complete";
                                        default -> "canary.auto_advance";
                                    };
                                    return finalMetrics(after)
                                            .chain(finals -> repository.update(after, finals))
                                            .invoke(() -> log(after, verdict))
                                            .replaceWith(entry(deployment, after, action, SYSTEM_ACTOR,
                                                    verdict.reason()));
                                }))
                        .collect().asList()
                        .map(entries -> Outcome.of((Void) null, entries))))
                .chain(routing::refresh)
                .replaceWithVoid();
    }

    private static void log(CanaryDeployment after, CanaryMachine.Verdict verdict) {
        if (verdict.action() == CanaryMachine.Action.ROLLBACK) {
            LOG.warnf("Canary rolled back: %s %s - %s", after.service(), after.version(), verdict.reason());
        } else {
            LOG.infof("Canary %s: %s %s now at %d%%", verdict.action() == CanaryMachine.Action.COMPLETE
                    ? "completed"
                    : "advanced", after.service(), after.version(), after.percentage());
        }
    }

    /**
     * When a deployment finishes, the totals of every stage and side are kept for its history: read in the
     * transaction that finishes it.
     */
    private Uni<Map<String, Object>> finalMetrics(CanaryDeployment after) {
        if (after.status().inFlight()) {
            return Uni.createFrom().nullItem();
        }
        return Multi.createFrom().range(0, after.currentStage() + 1)
                .onItem().transformToUniAndConcatenate(stage -> repository.stageCountsInTransaction(after.id(), stage)
                        .map(counts -> {
                            Map<String, Object> entry = new LinkedHashMap<>();
                            entry.put("stage", stage + 1);
                            entry.put("percentage", after.stages().get(stage).percentage());
                            entry.put("canary", metrics(counts.get("canary")));
                            entry.put("stable", metrics(counts.get("stable")));
                            return entry;
                        }))
                .collect().asList()
                .map(stages -> {
                    Map<String, Object> finals = new LinkedHashMap<>();
                    finals.put("stages", stages);
                    return finals;
                });
    }

    private static StageMetrics metrics(CanaryRepository.ArmCounts counts) {
        return counts == null
                ? StageMetrics.NONE
                : StageMetrics.of(counts.requests(), counts.errors(), counts.buckets(),
                        counts.maxLatency());
    }

    private CanaryViews.DeploymentView view(CanaryDeployment d, StageMetrics canary, StageMetrics stable) {
        return view(d, d.rowVersion(), canary, stable);
    }

    private CanaryViews.DeploymentView view(CanaryDeployment d, long rowVersion, StageMetrics canary,
            StageMetrics stable) {
        boolean watched = d.status() == CanaryDeployment.Status.ACTIVE;
        return new CanaryViews.DeploymentView(d.id(), d.service(), d.version(), d.strategy().wireName(),
                d.status().wireName(), d.currentStage() + 1, d.percentage(), d.stages(), d.startedAt(),
                d.stageStartedAt(), d.finishedAt(), d.rollbackReason(), canary, stable, rowVersion,
                machine.criteria(d, canary), watched ? machine.stageTimeMetAt(d) : null);
    }

    /** The deployment before and after the step, in the shape every audited change has (none before a start). */
    private static AuditEntry entry(CanaryDeployment before, CanaryDeployment after, String action, String actor,
            String reason) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("deploymentId", after.id().toString());
        if (before != null) {
            details.put("before", state(before));
        }
        details.put("after", state(after));
        return AuditEntry.canary(after.service(), action, details, actor, reason);
    }

    private static Map<String, Object> state(CanaryDeployment d) {
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("version", d.version());
        state.put("status", d.status().wireName());
        state.put("stage", d.currentStage() + 1);
        state.put("percentage", d.percentage());
        return state;
    }

}
