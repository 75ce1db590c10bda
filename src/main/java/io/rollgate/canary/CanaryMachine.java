package io.rollgate.canary;

import io.rollgate.errors.ConflictException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;

/** The canary state machine: stages forward, pause, resume, roll back, and the automatic verdict. */
public final class CanaryMachine {

    private final Clock clock;
    private final Duration finalStageMinDuration;
    private final long finalStageMinRequests;

    /**
     * @param finalStageMinDuration the least time the last stage of a staged canary is watched
     * @param finalStageMinRequests the least canary requests the last stage needs before completing
     */
    public CanaryMachine(Clock clock, Duration finalStageMinDuration, long finalStageMinRequests) {
        this.clock = clock;
        this.finalStageMinDuration = finalStageMinDuration;
        this.finalStageMinRequests = finalStageMinRequests;
    }

    /** The next stage, or completion after the last one. */
    public CanaryDeployment advance(CanaryDeployment deployment) {
        requireStatus(deployment, CanaryDeployment.Status.ACTIVE, "advance");
        Instant now = clock.instant();
        if (deployment.lastStage()) {
            return deployment.with(deployment.currentStage(), 100, CanaryDeployment.Status.COMPLETED,
                    deployment.stageStartedAt(), now, null);
        }
        int next = deployment.currentStage() + 1;
        return deployment.with(next, deployment.stages().get(next).percentage(), CanaryDeployment.Status.ACTIVE, now,
                null, null);
    }

    /**
     * An operator's advance: refused with the unmet criteria unless they hold, or it is forced (audited as such).
     * The automation moves on by the same criteria, so an advance it refuses is one the automation would not make.
     */
    public CanaryDeployment advance(CanaryDeployment deployment, StageMetrics canary, boolean force) {
        requireStatus(deployment, CanaryDeployment.Status.ACTIVE, "advance");
        if (!force) {
            List<StageCriterion> unmet = criteria(deployment, canary).stream().filter(c -> !c.met()).toList();
            if (!unmet.isEmpty()) {
                throw new ConflictException("The " + deployment.service() + " deployment of " + deployment.version()
                        + " cannot leave stage " + (deployment.currentStage() + 1) + " (" + deployment.percentage()
                        + " %) yet: " + unmet.size() + " of its criteria unmet; force the advance to skip them",
                        unmet);
            }
        }
        return advance(deployment);
    }

    /**
     * What the current stage needs before it moves on (or completes), against the canary's numbers: its requests,
     * its error rate and the time it has been watched. Empty for a deployment no longer in flight.
     */
    public List<StageCriterion> criteria(CanaryDeployment deployment, StageMetrics canary) {
        if (!deployment.status().inFlight()) {
            return List.of();
        }
        CanaryStage stage = deployment.stage();
        long minRequests = minRequests(deployment);
        Duration minimum = Duration.ofSeconds(minSeconds(deployment));
        Duration watched = watched(deployment);
        boolean errorsMet = canary.requests() == 0 || canary.errorRate() <= stage.maxErrorRate();
        return List.of(
                new StageCriterion("canaryRequests", ">= " + minRequests, String.valueOf(canary.requests()),
                        canary.requests() >= minRequests),
                new StageCriterion("errorRate", String.format(Locale.ROOT, "<= %.2f %%", stage.maxErrorRate() * 100),
                        canary.requests() == 0
                                ? "no requests yet"
                                : String.format(Locale.ROOT, "%.2f %%", canary.errorRate() * 100),
                        errorsMet),
                new StageCriterion("timeInStage", ">= " + minimum, watched.toString(),
                        watched.compareTo(minimum) >= 0));
    }

    /** When the current stage will have been watched long enough, if it stays active. */
    public Instant stageTimeMetAt(CanaryDeployment deployment) {
        return deployment.stageStartedAt().plusSeconds(minSeconds(deployment));
    }

    private Duration watched(CanaryDeployment deployment) {
        return Duration.between(deployment.stageStartedAt(), clock.instant()).truncatedTo(ChronoUnit.SECONDS);
    }

    /** The last stage of a staged canary is watched like any other, however short it was configured. */
    private boolean watchedFinal(CanaryDeployment deployment) {
        return deployment.lastStage() && deployment.strategy() == CanaryDeployment.Strategy.CANARY;
    }

    private long minRequests(CanaryDeployment deployment) {
        long configured = deployment.stage().minRequests();
        return watchedFinal(deployment) ? Math.max(configured, finalStageMinRequests) : configured;
    }

    private long minSeconds(CanaryDeployment deployment) {
        long configured = deployment.stage().duration();
        return watchedFinal(deployment) ? Math.max(configured, finalStageMinDuration.toSeconds()) : configured;
    }

    public CanaryDeployment pause(CanaryDeployment deployment) {
        requireStatus(deployment, CanaryDeployment.Status.ACTIVE, "pause");
        return deployment.with(deployment.currentStage(), deployment.percentage(), CanaryDeployment.Status.PAUSED,
                deployment.stageStartedAt(), null, null);
    }

    /** Resuming restarts the stage clock: a paused stage has not been observed long enough. */
    public CanaryDeployment resume(CanaryDeployment deployment) {
        requireStatus(deployment, CanaryDeployment.Status.PAUSED, "resume");
        return deployment.with(deployment.currentStage(), deployment.percentage(), CanaryDeployment.Status.ACTIVE,
                clock.instant(), null, null);
    }

    public CanaryDeployment rollback(CanaryDeployment deployment, String reason) {
        if (!deployment.status().inFlight()) {
            throw new ConflictException("The " + deployment.service() + " deployment of " + deployment.version()
                    + " is " + deployment.status().wireName() + "; only one in flight can be rolled back");
        }
        return deployment.with(deployment.currentStage(), 0, CanaryDeployment.Status.ROLLED_BACK,
                deployment.stageStartedAt(), clock.instant(), reason);
    }

    /** What an automatic check does with a deployment. */
    public enum Action {
        HOLD, ADVANCE, COMPLETE, ROLLBACK
    }

    public record Verdict(Action action, String reason) {
    }

    /**
     * Judges the current stage from the canary side's metrics: above maxErrorRate once minRequests are in,
     * roll back; after the stage's duration with enough healthy requests, move on (or complete).
     */
    public Verdict check(CanaryDeployment deployment, StageMetrics canary) {
        if (deployment.status() != CanaryDeployment.Status.ACTIVE) {
            return new Verdict(Action.HOLD, "not active");
        }
        CanaryStage stage = deployment.stage();
        long minRequests = minRequests(deployment);
        long minSeconds = minSeconds(deployment);
        boolean enough = canary.requests() >= minRequests;
        if (enough && canary.requests() > 0 && canary.errorRate() > stage.maxErrorRate()) {
            return new Verdict(Action.ROLLBACK, String.format(Locale.ROOT,
                    "Automatic rollback: canary error rate %.2f%% over %d requests exceeded %.2f%% at stage %d (%d%%)",
                    canary.errorRate() * 100, canary.requests(), stage.maxErrorRate() * 100,
                    deployment.currentStage() + 1, stage.percentage()));
        }
        Duration elapsed = Duration.between(deployment.stageStartedAt(), clock.instant());
        if (enough && elapsed.toSeconds() >= minSeconds) {
            return deployment.lastStage()
                    ? new Verdict(Action.COMPLETE, "last stage healthy")
                    : new Verdict(Action.ADVANCE, "stage healthy for its duration");
        }
        return new Verdict(Action.HOLD, enough ? "stage duration not reached" : "too few canary requests");
    }

    public static List<CanaryStage> instantStages() {
        return List.of(new CanaryStage(100, 0L, 0L, 1.0));
    }

    private static void requireStatus(CanaryDeployment deployment, CanaryDeployment.Status status, String action) {
        if (deployment.status() != status) {
            throw new ConflictException("Cannot " + action + " the " + deployment.service() + " deployment of "
                    + deployment.version() + ": it is " + deployment.status().wireName());
        }
    }
}
