package io.rollgate.audit;

/** What to look for in the audit trail; null fields match anything. */
public record AuditFilter(String customerId, String organizationId, String flagPath, String subjectType,
        String subject) {
}
