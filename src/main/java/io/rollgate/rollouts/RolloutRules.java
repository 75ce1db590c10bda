package io.rollgate.rollouts;

import io.rollgate.engine.Ids;
import io.rollgate.errors.InvalidInputException;
import io.rollgate.errors.Violation;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * The rules a rollout is held to, from configuration: the state machine, the service's default policy, and what a
 * request to create or change a rollout must satisfy (every problem reported at once, named by its field).
 */
@ApplicationScoped
public class RolloutRules {

    private final RolloutMachine machine;
    private final RolloutPolicy defaultPolicy;

    public RolloutRules(RolloutsConfig config, Clock clock) {
        RolloutsConfig.Policy defaults = config.policy();
        this.defaultPolicy = new RolloutPolicy(defaults.advanceErrorRate(), defaults.pauseErrorRate(),
                defaults.rollbackErrorRate(), config.minSuccessRate(), defaults.fastTrackSuccessRate(),
                defaults.fastTrackFactor(), List.copyOf(defaults.minSamples()), defaults.autoAdvance(), null, 1);
        this.machine = new RolloutMachine(clock, config.minTimeInTier(), defaultPolicy);
    }

    public RolloutMachine machine() {
        return machine;
    }

    /** A new rollout of {@code flagKey} as a draft, from a valid request; 400 naming every problem otherwise. */
    RolloutRecord draft(String flagKey, RolloutRequests.Create request) {
        List<Violation> violations = new ArrayList<>();
        Lists lists = lists(request.whitelistedCustomers(), request.blacklistedCustomers(), violations);
        RollbackThreshold threshold = request.rollbackThreshold() == null
                ? RollbackThreshold.DEFAULT
                : request.rollbackThreshold();
        violations.addAll(threshold.violations("rollbackThreshold"));
        RolloutPolicy policy = policyOf(request, violations);
        if (!violations.isEmpty()) {
            throw new InvalidInputException(violations);
        }
        return RolloutRecord.draft(flagKey, lists.whitelist(), lists.blacklist(), threshold.withDefaults(), policy);
    }

    /** A policy as requested, what it leaves out taken from the defaults; 400 naming every problem otherwise. */
    RolloutPolicy policy(RolloutPolicy requested) {
        List<Violation> violations = new ArrayList<>(requested.violations("policy"));
        RolloutPolicy policy = requested.withDefaults(defaultPolicy);
        if (violations.isEmpty()) {
            violations.addAll(policy.violations("policy"));
        }
        if (!violations.isEmpty()) {
            throw new InvalidInputException(violations);
        }
        return policy;
    }

    /** A rollout's two lists, checked. */
    record Lists(List<String> whitelist, List<String> blacklist) {
    }

    /** The lists as requested, distinct and disjoint; 400 naming every problem otherwise. */
    static Lists lists(List<String> whitelisted, List<String> blacklisted) {
        List<Violation> violations = new ArrayList<>();
        Lists lists = lists(whitelisted, blacklisted, violations);
        if (!violations.isEmpty()) {
            throw new InvalidInputException(violations);
        }
        return lists;
    }

    /** The lists checked, their problems added to {@code violations}, so a request's are reported all at once. */
    private static Lists lists(List<String> whitelisted, List<String> blacklisted, List<Violation> violations) {
        List<String> whitelist = ids("whitelistedCustomers", whitelisted, violations);
        List<String> blacklist = ids("blacklistedCustomers", blacklisted, violations);
        disjoint(whitelist, blacklist, violations);
        return new Lists(whitelist, blacklist);
    }

    /**
     * The policy a new rollout follows: its own values over the service's defaults. A rollout created the
     * original way, with a rollback threshold's error rate or breach streak and no policy, gets that
     * threshold's equivalent; one that names its minimum samples needs them in every tier.
     */
    private RolloutPolicy policyOf(RolloutRequests.Create request, List<Violation> violations) {
        RollbackThreshold threshold = request.rollbackThreshold();
        if (request.policy() == null && threshold != null
                && (threshold.errorRate() != null || threshold.consecutiveBreaches() != null)) {
            return RolloutPolicy.fromThreshold(threshold, defaultPolicy);
        }
        RolloutPolicy requested = request.policy() == null
                ? new RolloutPolicy(null, null, null, null, null, null, null, null, null, null)
                : request.policy();
        violations.addAll(requested.violations("policy"));
        if (!violations.isEmpty()) {
            return null;
        }
        RolloutPolicy policy = requested.withDefaults(defaultPolicy);
        violations.addAll(policy.violations("policy"));
        if (threshold != null && threshold.minSamples() != null && requested.minSamples() == null) {
            policy = policy.withMinSamples(threshold.minSamples());
        }
        return policy;
    }

    /** A customer cannot be both let in and kept out: the lists must not share an id. */
    private static void disjoint(List<String> whitelist, List<String> blacklist, List<Violation> violations) {
        List<String> both = whitelist.stream().filter(blacklist::contains).limit(20).toList();
        if (!both.isEmpty()) {
            violations.add(new Violation("blacklistedCustomers", "names customers that are also whitelisted: "
                    + String.join(", ", both)));
        }
    }

    private static List<String> ids(String field, List<String> ids, List<Violation> violations) {
        if (ids == null) {
            return List.of();
        }
        if (ids.size() > 10_000) {
            violations.add(new Violation(field, "holds more than 10000 ids"));
            return List.of();
        }
        for (int i = 0; i < ids.size(); i++) {
            if (!Ids.isValid(ids.get(i))) {
                violations.add(new Violation(field + "[" + i + "]", "must be 1-128 of letters, digits and . _ : -"));
            }
        }
        return ids.stream().distinct().toList();
    }
}
