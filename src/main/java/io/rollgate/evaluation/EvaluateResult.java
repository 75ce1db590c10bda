package io.rollgate.evaluation;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Instant;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** evaluateFlag result. */
@RegisterForReflection
public record EvaluateResult(String name,
        @Schema(description = "Whether the flag is on; for a typed flag, whether a rule or a split chose its variant") boolean enabled,
        String reason, boolean stale, Instant evaluatedAt,
        @Schema(description = "The value served: on or off, or a typed flag's variant value") Object value,
        @Schema(description = "The variant served: on or off for a boolean flag") String variant) {
}
