package io.rollgate.canary;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.rollgate.audit.Reasons;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Request and response documents of the canary API. */
public final class CanaryViews {

    private CanaryViews() {
    }

    /** startCanaryDeployment / instantDeploy. */
    @RegisterForReflection
    public record StartRequest(
            @Schema(description = "The version being released", example = "v2.1.0", required = true) String version,
            @Schema(description = "canary (staged, default) or instant (straight to 100 %)") String strategy,
            @Schema(description = "Default: 10 % (5 % errors), 50 % (3 %), 100 % (2 %)") List<CanaryStage> stages,
            @Schema(description = Reasons.DESCRIPTION, required = true, minLength = 1, maxLength = Reasons.MAX_LENGTH) String reason) {
    }

    @RegisterForReflection
    public record ActionRequest(
            @Schema(description = Reasons.DESCRIPTION, required = true, minLength = 1, maxLength = Reasons.MAX_LENGTH) String reason,
            @Schema(description = "The deployment's rowVersion as read; 409 when it changed since (omit to act on whatever is stored)") Long rowVersion,
            @Schema(description = "Advance only: move on although the stage's criteria are unmet; audited as forced") Boolean force) {
    }

    /** A deployment with the current stage's metrics on both sides. */
    @RegisterForReflection
    public record DeploymentView(UUID id, String service, String version, String strategy, String status,
            int currentStage, int percentage, List<CanaryStage> stages, Instant startedAt, Instant stageStartedAt,
            Instant finishedAt, String rollbackReason, StageMetrics canary, StageMetrics stable,
            @Schema(description = "Moves on with every change; send it back with a control step") long rowVersion,
            @Schema(description = "What the current stage needs before it moves on, with what was observed; an "
                    + "advance is refused with 409 while any is unmet, unless forced") List<StageCriterion> criteria,
            @Schema(description = "When the current stage will have been watched long enough (null unless active)") Instant stageTimeMetAt) {
    }

    /** A service that has deployments: the one in flight (if any) and the stable version it falls back to. */
    @RegisterForReflection
    public record ServiceEntry(String service, String stableVersion, String inFlightVersion, String status,
            Integer percentage) {
    }

    @RegisterForReflection
    public record HistoryEntry(UUID id, String version, String strategy, String status, int percentage,
            Instant startedAt, Instant finishedAt, String rollbackReason, Map<String, Object> finalMetrics) {
    }

    /** shouldRouteToCanary. */
    @RegisterForReflection
    public record RouteView(String service, boolean canary, String version, boolean sticky, int percentage,
            UUID deploymentId,
            @Schema(description = "The deployment's stage (numbered from 1, as the deployment view numbers it) this answer was routed under; report it with "
                    + "the samples so they count against it") Integer stage) {
    }

    /** One request outcome a proxy reports (recordCanaryRequest). */
    @RegisterForReflection
    public record RequestSample(Boolean canary, Double latencyMs, Boolean error) {
    }

    @RegisterForReflection
    public record RequestBatch(
            @Schema(description = "The deployment the samples belong to; refused with 409 if it is no longer "
                    + "in flight") UUID deploymentId,
            @Schema(description = "Makes a retried batch count once: 1-128 of letters, digits and . _ : -") String batchId,
            @Schema(description = "The stage the requests were routed under (from the route answer); samples for a "
                    + "stage the deployment has left are dropped, never counted against the next") Integer stage,
            List<RequestSample> requests) {
    }

    /**
     * What happened to a batch: counted against {@code stage} (the deployment's current stage), or dropped
     * because it was routed under a stage already left, or acknowledged again as a duplicate.
     */
    @RegisterForReflection
    public record RecordResult(UUID deploymentId, int stage, int accepted, int dropped, boolean duplicate) {
    }
}
