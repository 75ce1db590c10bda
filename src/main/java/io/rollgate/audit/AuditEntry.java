package io.rollgate.audit;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

/**
 * One audited change: what kind of thing changed ({@code subjectType}: flag, override, rollout, canary,
 * token, segment) and which one ({@code subject}), who, why, when, and its before and after. For flag values the
 * audit trail's original columns keep their meaning: {@code flagPath}, and {@code oldValue} as what the scope was served
 * before. Actions on rollouts, flags, canaries and tokens carry their before/after state in {@code details}.
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AuditEntry(
        Long id,
        String subjectType,
        String subject,
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

    /** The kinds of things an audit entry can be about. */
    public static final class Subjects {
        public static final String FLAG = "flag";
        public static final String OVERRIDE = "override";
        public static final String ROLLOUT = "rollout";
        public static final String CANARY = "canary";
        public static final String TOKEN = "token";
        public static final String SEGMENT = "segment";
        public static final List<String> ALL = List.of(FLAG, OVERRIDE, ROLLOUT, CANARY, TOKEN, SEGMENT);

        private Subjects() {
        }
    }

    /** A customer's or organization's override of one flag: what it was served before, and what is set. */
    public static AuditEntry override(String scope, String id, String flagPath, Boolean oldValue, Boolean newValue,
            String changedBy, String reason) {
        boolean customer = "customer".equals(scope);
        return new AuditEntry(null, Subjects.OVERRIDE, scope + ":" + id, scope, customer ? id : null,
                customer ? null : id, flagPath, oldValue, newValue, changedBy, null, reason, SET, null);
    }

    /** The global kill switch of one flag. */
    public static AuditEntry killSwitch(String flagPath, Boolean oldValue, Boolean newValue, String changedBy,
            String reason) {
        return new AuditEntry(null, Subjects.FLAG, flagPath, "global", null, null, flagPath, oldValue, newValue,
                changedBy, null, reason, SET, null);
    }

    /** A flag definition created, changed or deleted; old and new values are its kill-switch state. */
    public static AuditEntry flag(String flagPath, String action, Boolean oldEnabled, Boolean newEnabled,
            Map<String, Object> details, String changedBy, String reason) {
        return new AuditEntry(null, Subjects.FLAG, flagPath, "flag", null, null, flagPath, oldEnabled, newEnabled,
                changedBy, null, reason, action, details);
    }

    /** A rollout action, with its state before and after and the evidence it saw. */
    public static AuditEntry rollout(String flagPath, String action, Map<String, Object> details, String changedBy,
            String reason) {
        return new AuditEntry(null, Subjects.ROLLOUT, flagPath, "rollout", null, null, flagPath, null, null,
                changedBy, null, reason, action, details);
    }

    /** A canary deployment action on a service. */
    public static AuditEntry canary(String service, String action, Map<String, Object> details, String changedBy,
            String reason) {
        return new AuditEntry(null, Subjects.CANARY, service, "canary", null, null, null, null, null, changedBy,
                null, reason, action, details);
    }

    /** A managed token created or revoked; the subject is the token's id, never its secret. */
    public static AuditEntry token(String tokenId, String action, Map<String, Object> details, String changedBy,
            String reason) {
        return new AuditEntry(null, Subjects.TOKEN, tokenId, "token", null, null, null, null, null, changedBy, null,
                reason, action, details);
    }

    /** A segment created, changed or deleted, with its definition before and after. */
    public static AuditEntry segment(String key, String action, Map<String, Object> details, String changedBy,
            String reason) {
        return new AuditEntry(null, Subjects.SEGMENT, key, "segment", null, null, null, null, null, changedBy, null,
                reason, action, details);
    }
}
