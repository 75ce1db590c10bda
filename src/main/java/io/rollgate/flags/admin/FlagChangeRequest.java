package io.rollgate.flags.admin;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.rollgate.audit.Reasons;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * POST /api/admin/feature-flags: one flag for a customer or an organization, or the
 * global emergency switch for one flag or several.
 */
@RegisterForReflection
public record FlagChangeRequest(
        @Schema(description = "Flag path or rollout name", example = "phase2_enhanced_storage") String featureName,
        @Schema(description = "New value; with global, false kills the flag and true lifts the kill") Boolean enabled,
        @Schema(description = "Target customer") String customerId,
        @Schema(description = "Target organization") String organizationId,
        @Schema(description = "Emergency switch for every customer") Boolean global,
        @Schema(description = "With global: several flag paths at once, path to enabled", example = "{\"sessionPersistence.phase2.enhancedStorage\": false}") Map<String, Boolean> flags,
        @Schema(description = Reasons.DESCRIPTION, required = true, minLength = 1, maxLength = Reasons.MAX_LENGTH) String reason,
        @Schema(description = "Ignored: the audit records the authenticated principal", deprecated = true) String changedBy) {
}
