package io.rollgate.flags.hygiene;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.rollgate.audit.Reasons;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Marks a flag as meant to stay (a kill switch), so hygiene never reports it stale. */
@RegisterForReflection
public record PermanentRequest(
        @Schema(description = "true: never report this flag stale", required = true) Boolean permanent,
        @Schema(description = Reasons.DESCRIPTION, required = true, minLength = 1, maxLength = Reasons.MAX_LENGTH) String reason) {
}
