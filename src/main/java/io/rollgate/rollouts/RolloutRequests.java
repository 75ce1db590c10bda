package io.rollgate.rollouts;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.rollgate.audit.Reasons;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Request bodies of the rollout API. */
public final class RolloutRequests {

    private RolloutRequests() {
    }

    /** createRollout. */
    @RegisterForReflection
    public record Create(
            @Schema(description = "Flag path or rollout name", example = "phase2_enhanced_storage", required = true) String featureName,
            @Schema(description = "Customers enabled from tier 1 on") List<String> whitelistedCustomers,
            @Schema(description = "Customers never enabled by the rollout") List<String> blacklistedCustomers,
            @Schema(description = "Defaults: errorRate 0.05, timeWindow 3600000 ms, minSamples 100, "
                    + "consecutiveBreaches 2. With errorRate or consecutiveBreaches and no policy, this threshold is the "
                    + "rollout's only automatic response (the original behaviour)") RollbackThreshold rollbackThreshold,
            @Schema(description = "How the rollout responds to its evidence by itself; unset values come from the "
                    + "service's defaults (pause at 5-10 % errors, roll back above 10 %, no automatic advance)") RolloutPolicy policy,
            @Schema(description = Reasons.DESCRIPTION, required = true, minLength = 1, maxLength = Reasons.MAX_LENGTH) String reason) {
    }

    /** Start, advance, pause, resume, rollback, restart. */
    @RegisterForReflection
    public record Action(
            @Schema(description = "Only for the compatibility /api/admin/rollout/* endpoints") String featureName,
            @Schema(description = Reasons.DESCRIPTION, required = true, minLength = 1, maxLength = Reasons.MAX_LENGTH) String reason,
            @Schema(description = "Advance without meeting the criteria; audited as forced") Boolean force,
            @Schema(description = "The version last read; the change is refused with 409 if the rollout has "
                    + "changed since") Long version) {
    }

    /** A rollout's new policy. */
    @RegisterForReflection
    public record PolicyChange(RolloutPolicy policy,
            @Schema(description = Reasons.DESCRIPTION, required = true, minLength = 1, maxLength = Reasons.MAX_LENGTH) String reason,
            @Schema(description = "The version last read; the change is refused with 409 if the rollout has "
                    + "changed since") Long version) {
    }

    /**
     * A rollout's configuration replaced whole: the body GET answers, sent back changed, with a reason. The lists and
     * the policy are taken; the rollout's state (tier, status, times, counts, history) moves only by its actions and
     * is ignored here, and its name must be the one in the path.
     */
    @RegisterForReflection
    public record Replace(String featureName,
            @Schema(description = "Ignored: the flag's alias") String alias,
            @Schema(description = "Ignored: state moves by the actions") String currentTier,
            @Schema(description = "Ignored") Integer tier,
            @Schema(description = "Ignored") Integer percentage,
            @Schema(description = "Ignored") String status,
            List<String> whitelistedCustomers, List<String> blacklistedCustomers,
            @Schema(description = "Ignored: the policy is what the rollout is judged by") RollbackThreshold rollbackThreshold,
            @Schema(description = "Ignored") java.time.Instant startedAt,
            @Schema(description = "Ignored") java.time.Instant tierEnteredAt,
            @Schema(description = "Ignored") java.time.Instant completedAt,
            @Schema(description = "Ignored") java.time.Instant rolledBackAt,
            @Schema(description = "Ignored") String rollbackReason,
            @Schema(description = "Ignored") Integer consecutiveBreaches,
            @Schema(description = "The version last read; the change is refused with 409 if the rollout has "
                    + "changed since") Long version,
            @Schema(required = true) RolloutPolicy policy,
            @Schema(description = "Ignored") String pauseReason,
            @Schema(description = "Ignored") Integer pauses,
            @Schema(description = "Ignored") Integer rollbacks,
            @Schema(description = "Ignored") List<java.util.Map<String, Object>> tierHistory,
            @Schema(description = "Ignored") Long timeToFullSeconds,
            @Schema(description = Reasons.DESCRIPTION, required = true, minLength = 1, maxLength = Reasons.MAX_LENGTH) String reason) {
    }

    /** Whitelist and blacklist replacement. */
    @RegisterForReflection
    public record Lists(List<String> whitelistedCustomers, List<String> blacklistedCustomers,
            @Schema(description = Reasons.DESCRIPTION, required = true, minLength = 1, maxLength = Reasons.MAX_LENGTH) String reason) {
    }
}
