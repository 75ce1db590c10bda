package io.rollgate.events;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A batch of events; the reporter reuses the batch id when it retries, so nothing is counted twice. */
@RegisterForReflection
public record EventBatch(
        @Schema(description = "Reporter-chosen id, 1-128 of letters, digits, . _ : -", required = true) String batchId,
        @Schema(required = true) List<RolloutEvent> events) {
}
