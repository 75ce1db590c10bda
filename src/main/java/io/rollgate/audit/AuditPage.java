package io.rollgate.audit;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;

/** One page of the audit trail, newest first. */
@RegisterForReflection
public record AuditPage(List<AuditEntry> items, int page, int size, long total) {
}
