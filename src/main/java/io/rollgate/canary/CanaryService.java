package io.rollgate.canary;

import io.rollgate.audit.AuditEntry;
import io.rollgate.audit.AuditedChanges;
import io.rollgate.audit.AuditedChanges.Outcome;
import io.rollgate.database.Change;
import io.rollgate.database.Database;
import io.rollgate.engine.Bucketing;
import io.rollgate.engine.Ids;
import io.rollgate.engine.InvalidInputException;
import io.rollgate.engine.Violation;
import io.rollgate.errors.ConflictException;
import io.rollgate.errors.NotFoundException;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.ObservesAsync;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * Canary deployments per service: control, sticky routing from an in-memory table, request
 * metrics intake, and the automation that advances, completes or rolls back on the canary's numbers.
 */
@ApplicationScoped
public class CanaryService {

    private static final Logger LOG = Logger.getLogger(CanaryService.class);
    static final String SYSTEM_ACTOR = "system:canary";
    static final int HISTORY = 10;
    private static final Pattern SERVICE = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final int MAX_SAMPLES = 10_000;

    /** What routing needs of a service: its deployment in flight (if any) and its stable version. */
    record Routing(CanaryDeployment inFlight, String stableVersion) {
        static final Routing NONE = new Routing(null, null);
    }

    private final Pool pool;
    private final CanaryRepository repository;
    private final CanaryMetrics metrics;
    private final Database database;
    private final CanaryMachine machine;
    private final Clock clock;
    private final Map<String, Routing> routing = new ConcurrentHashMap<>();
    /** Set by the first refresh: from then on the table holds every service that has deployments. */
    private volatile boolean routingLoaded;
    private final AtomicLong refreshes = new AtomicLong();
    private final AuditedChanges changes;
    private long installedRefresh = -1;

    public CanaryService(Pool pool, CanaryRepository repository, CanaryMetrics metrics, Database database,
            Clock clock, CanaryConfig config, AuditedChanges changes) {
        this.changes = changes;
        this.pool = pool;
        this.repository = repository;
        this.metrics = metrics;
        this.database = database;
        this.machine = new CanaryMachine(clock, config.finalStageMinDuration(), config.finalStageMinRequests());
        this.clock = clock;
    }

    public static String service(String service) {
        if (service == null || !SERVICE.matcher(service).matches()) {
            throw new InvalidInputException("service", "must be 1-64 of letters, digits and . _ -");
        }
        return service;
    }

    public Uni<CanaryViews.DeploymentView> start(String service, CanaryViews.StartRequest request, String actor) {
        service(service);
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
                .call(this::refreshRouting)
                .invoke(() -> LOG.infof("Canary %s: %s %s by %s", instant ? "instant deploy" : "started", service,
                        request.version(), actor))
                .map(ignored -> view(deployment, StageMetrics.NONE, StageMetrics.NONE));
    }

    public Uni<CanaryViews.DeploymentView> current(String service) {
        service(service);
        database.requireUp();
        return database.bounded(repository.inFlight(service))
                .onItem().ifNull().failWith(() -> new NotFoundException(service + " has no deployment in flight"))
                .chain(deployment -> database.bounded(repository.stageCounts(pool, deployment.id(),
                        deployment.currentStage()))
                        .map(counts -> view(deployment, metrics(counts.get("canary")), metrics(counts.get("stable")))));
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
        service(service);
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
        service(service);
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
                .call(this::refreshRouting)
                .invoke(after -> LOG.infof("Canary %s: %s %s now %s at %d%% by %s", action.substring(7), service,
                        after.version(), after.status().wireName(), after.percentage(), actor))
                // the write moved the row one version on
                .map(after -> view(after, after.rowVersion() + 1, StageMetrics.NONE, StageMetrics.NONE));
    }

    /**
     * shouldRouteToCanary: sticky per user (bucket of "deploymentId:userId" against the percentage, so a user
     * on the canary at 10 % stays on it at 50 %); without a user id, a random split per request.
     */
    public Uni<CanaryViews.RouteView> route(String service, String userId) {
        service(service);
        if (userId != null && (userId.isEmpty() || userId.length() > 256)) {
            throw new InvalidInputException("userId", "must be 1-256 characters");
        }
        Routing known = routing.get(service);
        // once loaded, the table is complete: a service missing from it has nothing in flight
        Uni<Routing> state = known != null || routingLoaded || !database.isUp()
                ? Uni.createFrom().item(known != null ? known : Routing.NONE)
                : refreshRouting(null).map(ignored -> routing.getOrDefault(service, Routing.NONE));
        return state.map(r -> {
            CanaryDeployment deployment = r.inFlight();
            if (deployment == null || deployment.percentage() == 0) {
                return new CanaryViews.RouteView(service, false, r.stableVersion(), userId != null, 0,
                        deployment == null ? null : deployment.id(),
                        deployment == null ? null : deployment.currentStage() + 1);
            }
            boolean canary = userId != null
                    ? sticky(deployment.id(), userId, deployment.percentage())
                    : ThreadLocalRandom.current().nextInt(100) < deployment.percentage();
            return new CanaryViews.RouteView(service, canary, canary ? deployment.version() : r.stableVersion(),
                    userId != null, deployment.percentage(), deployment.id(), deployment.currentStage() + 1);
        });
    }

    /** A user's side for a deployment: the same bucketing as rollouts, grouped by deployment. */
    static boolean sticky(UUID deploymentId, String userId, int percentage) {
        return Bucketing.inRollout(deploymentId.toString(), userId, percentage);
    }

    /** recordCanaryRequest in batches: counted against the deployment's current stage, per side. */
    public Uni<CanaryViews.RecordResult> record(String service, CanaryViews.RequestBatch batch) {
        service(service);
        if (batch == null || batch.requests() == null || batch.requests().isEmpty()) {
            throw new InvalidInputException("requests", "must hold at least one request");
        }
        if (batch.requests().size() > MAX_SAMPLES) {
            throw new InvalidInputException("requests", "holds more than " + MAX_SAMPLES + " requests");
        }
        if (batch.batchId() != null && !Ids.isValid(batch.batchId())) {
            throw new InvalidInputException("batchId", "must be 1-128 of letters, digits and . _ : -");
        }
        if (batch.stage() != null && batch.stage() < 1) {
            throw new InvalidInputException("stage", "must be 1 or more");
        }
        Map<String, double[]> rows = new LinkedHashMap<>();
        List<Violation> violations = new ArrayList<>();
        for (int i = 0; i < batch.requests().size(); i++) {
            CanaryViews.RequestSample sample = batch.requests().get(i);
            if (sample == null || sample.canary() == null || sample.error() == null || sample.latencyMs() == null
                    || sample.latencyMs().isNaN() || sample.latencyMs() < 0) {
                violations.add(new Violation("requests[" + i + "]",
                        "needs canary (boolean), error (boolean) and latencyMs (0 or more)"));
                continue;
            }
            String key = (sample.canary() ? "canary" : "stable") + ":" + LatencyHistogram.bucket(sample.latencyMs());
            double[] counts = rows.computeIfAbsent(key, k -> new double[3]);
            counts[0]++;
            if (sample.error()) {
                counts[1]++;
            }
            counts[2] = Math.max(counts[2], sample.latencyMs());
        }
        if (!violations.isEmpty()) {
            throw new InvalidInputException(violations.subList(0, Math.min(violations.size(), 20)));
        }
        String[] arms = new String[rows.size()];
        Short[] buckets = new Short[rows.size()];
        Long[] requests = new Long[rows.size()];
        Long[] errors = new Long[rows.size()];
        Double[] maxLatencies = new Double[rows.size()];
        int i = 0;
        for (Map.Entry<String, double[]> row : rows.entrySet()) {
            String[] parts = row.getKey().split(":");
            arms[i] = parts[0];
            buckets[i] = Short.parseShort(parts[1]);
            requests[i] = (long) row.getValue()[0];
            errors[i] = (long) row.getValue()[1];
            maxLatencies[i] = row.getValue()[2];
            i++;
        }
        int size = batch.requests().size();
        database.requireUp();
        // the deployment's row is share-locked, so the stage counted against is the one it is at until commit
        return pool.withTransaction(connection -> repository.lockInFlightShared(connection, service)
                .onItem().ifNull().failWith(() -> new ConflictException(service + " has no deployment in flight"))
                .chain(deployment -> {
                    if (batch.deploymentId() != null && !batch.deploymentId().equals(deployment.id())) {
                        return Uni.createFrom().failure(new ConflictException("Deployment "
                                + batch.deploymentId() + " is no longer in flight for " + service));
                    }
                    // stages are numbered from 1 on the wire, as the deployment view numbers them
                    int stage = deployment.currentStage();
                    int wireStage = stage + 1;
                    if (batch.stage() != null && batch.stage() != wireStage) {
                        return Uni.createFrom().item(new CanaryViews.RecordResult(deployment.id(), wireStage, 0,
                                size, false));
                    }
                    Uni<Boolean> fresh = batch.batchId() == null
                            ? Uni.createFrom().item(true)
                            : repository.claimBatch(connection, batch.batchId(), deployment.id());
                    return fresh.chain(isFresh -> !isFresh
                            ? Uni.createFrom().item(new CanaryViews.RecordResult(deployment.id(), wireStage, 0,
                                    0, true))
                            : repository.addCounts(connection, deployment.id(), stage, arms, buckets, requests,
                                    errors, maxLatencies)
                                    .replaceWith(new CanaryViews.RecordResult(deployment.id(), wireStage,
                                            size, 0, false)));
                }))
                .plug(database::bounded);
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
                .chain(this::refreshRouting)
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

    /** A deployment changed, on any replica or in SQL (or everything is reloaded): refresh the routing table. */
    void onChange(@ObservesAsync Change change) {
        if (change.subject() == Change.Subject.CANARY || change.subject() == Change.Subject.ALL) {
            refreshRouting(null).subscribe().with(ignored -> {
            });
        }
    }

    /**
     * Reloads the routing table from the database (after every change and every automation pass). Reads
     * may finish out of order: one started before another that already installed its table is dropped.
     */
    Uni<Void> refreshRouting(Object ignored) {
        long ticket = refreshes.incrementAndGet();
        return repository.routingState()
                .invoke(deployments -> install(ticket, deployments))
                .onFailure().invoke(e -> LOG.warn("Canary routing refresh failed; serving the last table", e))
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }

    private synchronized void install(long ticket, List<CanaryDeployment> deployments) {
        if (ticket < installedRefresh) {
            return;
        }
        installedRefresh = ticket;
        Map<String, CanaryDeployment> inFlight = new LinkedHashMap<>();
        Map<String, String> stable = new LinkedHashMap<>();
        for (CanaryDeployment deployment : deployments) {
            if (deployment.status().inFlight()) {
                inFlight.put(deployment.service(), deployment);
            } else {
                stable.put(deployment.service(), deployment.version());
            }
        }
        Set<String> services = new HashSet<>(inFlight.keySet());
        services.addAll(stable.keySet());
        services.addAll(routing.keySet());
        for (String service : services) {
            routing.put(service, new Routing(inFlight.get(service), stable.get(service)));
            metrics.state(service, inFlight.get(service));
        }
        routingLoaded = true;
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
