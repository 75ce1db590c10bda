package io.rollgate.overrides;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.rollgate.audit.AuditEntry;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The document a scope holds after a change, and the audit rows the change wrote. */
@RegisterForReflection
public record OverrideChange(boolean success, String scope, String id, Map<String, Object> flags,
        @Schema(description = OverrideRequest.VERSION) String version, List<AuditEntry> changes) {
}
