package io.rollgate.audit;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.OffsetDateTime;
import java.util.Map;

/**
 * One audited change (seed 001 feature_flag_changes). For a flag value, {@code oldValue} is what the
 * scope had before (its previous override, or the value it inherited when it had none). Rollout actions
 * carry their before/after state, forcing and metrics in {@code details} instead.
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AuditEntry(
        Long id,
        String scope,
        String customerId,
        String organizationId,
        String flagPath,
        Boolean oldValue,
        Boolean newValue,
        String changedBy,
        OffsetDateTime changedAt,
        String reason,
        String action,
        Map<String, Object> details) {

    public static final String SET = "set";

    /** A change about to be written; id and time come from the database. */
    public static AuditEntry change(String scope, String customerId, String organizationId, String flagPath,
            Boolean oldValue, Boolean newValue, String changedBy, String reason) {
        return new AuditEntry(null, scope, customerId, organizationId, flagPath, oldValue, newValue, changedBy,
                null, reason, SET, null);
    }

    /** A rollout action about to be written, with its state snapshot. */
    public static AuditEntry rollout(String flagPath, String action, Map<String, Object> details, String changedBy,
            String reason) {
        return new AuditEntry(null, "rollout", null, null, flagPath, null, null, changedBy, null, reason, action,
                details);
    }
}
