package io.rollgate.flags.admin;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.rollgate.audit.AuditEntry;
import java.util.List;

/** What a POST /api/admin/feature-flags changed: one audit entry per changed flag. */
@RegisterForReflection
public record FlagChangeResult(boolean success, String scope, String target, List<AuditEntry> changes) {
}
