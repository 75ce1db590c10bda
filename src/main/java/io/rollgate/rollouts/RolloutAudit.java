package io.rollgate.rollouts;

import io.rollgate.audit.AuditEntry;
import io.rollgate.events.WindowStats;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashMap;
import java.util.Map;

/** How rollout changes are written in the audit trail: the state before and after, and the evidence seen. */
@ApplicationScoped
public class RolloutAudit {

    public static final String AUTO_ROLLBACK_ACTOR = "system:auto-rollback";
    public static final String AUTO_PAUSE_ACTOR = "system:auto-pause";
    public static final String AUTO_ADVANCE_ACTOR = "system:auto-advance";

    private final RolloutMachine machine;

    public RolloutAudit(RolloutRules rules) {
        this.machine = rules.machine();
    }

    /** The audit entry of what the check did by itself, with the evidence it saw; null for bookkeeping only. */
    AuditEntry automaticEntry(RolloutRecord before, RolloutMachine.Check check, WindowStats stats) {
        Map<String, Object> evidence = new LinkedHashMap<>();
        evidence.put("errorRate", stats.errorRate());
        evidence.put("successRate", stats.successRate());
        evidence.put("samples", stats.samples());
        evidence.put("errorCount", stats.errorCount());
        evidence.put("successCount", stats.successCount());
        evidence.put("timeWindowMs", before.threshold().timeWindow());
        RolloutPolicy policy = machine.policyOf(before);
        evidence.put("policy", policy);
        if (policy.rollbackChecks() > 1) {
            evidence.put("consecutiveBreaches", before.breachCount() + 1);
        }
        Map<String, Object> details = details(before, check.rollout(), evidence);
        String feature = before.featureName();
        return switch (check.verdict()) {
            case ROLLBACK -> AuditEntry.rollout(feature, "rollout.auto_rollback", details, AUTO_ROLLBACK_ACTOR,
                    check.rollout().rollbackReason());
            case PAUSE -> AuditEntry.rollout(feature, "rollout.auto_pause", details, AUTO_PAUSE_ACTOR, check.reason());
            case ADVANCE -> AuditEntry.rollout(feature, "rollout.auto_advance", details, AUTO_ADVANCE_ACTOR,
                    check.reason());
            default -> null;
        };
    }

    Map<String, Object> details(RolloutRecord before, RolloutRecord after, Map<String, Object> metrics) {
        Map<String, Object> details = new LinkedHashMap<>();
        if (before != null) {
            details.put("before", state(before));
        }
        details.put("after", state(after));
        if (!metrics.isEmpty()) {
            details.put("metrics", metrics);
        }
        return details;
    }

    private Map<String, Object> state(RolloutRecord r) {
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("tier", r.tier().number());
        state.put("percentage", r.percentage());
        state.put("status", r.status().wireName());
        state.put("whitelistedCustomers", r.whitelist());
        state.put("blacklistedCustomers", r.blacklist());
        state.put("policy", machine.policyOf(r));
        return state;
    }

}
