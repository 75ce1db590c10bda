package io.rollgate.audit;

import java.time.Instant;

/**
 * What to look for in the audit trail; null fields match anything. {@code flagPrefix} matches flag paths
 * that start with it; {@code from} is inclusive and {@code to} exclusive.
 */
public record AuditFilter(String customerId, String organizationId, String flagPath, String subjectType,
        String subject, String changedBy, String action, String flagPrefix, Instant from, Instant to) {

    public AuditFilter(String customerId, String organizationId, String flagPath, String subjectType,
            String subject) {
        this(customerId, organizationId, flagPath, subjectType, subject, null, null, null, null, null);
    }

    AuditFilter withFlagPath(String canonical) {
        return new AuditFilter(customerId, organizationId, canonical, subjectType, subject, changedBy, action,
                flagPrefix, from, to);
    }
}
