package io.rollgate.audit;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** What the audit's action and actor filters can be set to, from the latest entries. */
@RegisterForReflection
public record AuditValues(List<String> actions, List<String> actors,
        @Schema(description = "How many of the latest entries the values come from") int window) {
}
