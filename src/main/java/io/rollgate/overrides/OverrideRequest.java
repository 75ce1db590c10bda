package io.rollgate.overrides;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.rollgate.audit.Reasons;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A partial flag document for one scope, with the reason for the change. */
@RegisterForReflection
public record OverrideRequest(
        @Schema(description = "Nested partial flag document; leaves are booleans at catalog flag paths", example = "{\"sessionPersistence\":{\"phase2\":{\"enhancedStorage\":true}}}") Map<String, Object> flags,
        @Schema(description = Reasons.DESCRIPTION, required = true, minLength = 1, maxLength = Reasons.MAX_LENGTH) String reason,
        @Schema(description = "Ignored: the audit records the authenticated principal", deprecated = true) String changedBy) {
}
