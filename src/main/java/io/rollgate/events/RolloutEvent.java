package io.rollgate.events;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.OffsetDateTime;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** One event as a reporter sends it (recordEvent). */
@RegisterForReflection
public record RolloutEvent(
        @Schema(description = "Flag path or rollout name", example = "phase2_enhanced_storage") String featureName,
        @Schema(description = "Customer the event is about", example = "customer-123") String customerId,
        @Schema(description = "enabled, disabled, success or error", example = "error") String event,
        @Schema(description = "Free-form details, kept with the raw event") Map<String, Object> metadata,
        @Schema(description = "When it happened; defaults to the time of receipt") OffsetDateTime timestamp) {
}
