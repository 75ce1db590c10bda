package io.rollgate.overrides;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A partial flag document for one scope, with the reason for the change. */
@RegisterForReflection
public record OverrideRequest(
        @Schema(description = "Nested partial flag document; leaves are booleans at catalog flag paths", example = "{\"sessionPersistence\":{\"phase2\":{\"enhancedStorage\":true}}}") Map<String, Object> flags,
        @Schema(description = "Why the change is made; recorded in the audit trail", required = true) String reason,
        @Schema(description = "Ignored: the audit records the authenticated principal", deprecated = true) String changedBy) {
}
