package io.rollgate.engine;

import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Decides flag values for a context. Pure CPU over an immutable catalog and the context's override
 * documents; first match wins in this order:
 * kill switch, prerequisites, customer override, organization override, targeting rules, rollout,
 * environment default, system default.
 */
public final class Evaluator {

    /** Evaluates every flag of the catalog. */
    public Evaluation evaluateAll(Catalog catalog, EvaluationContext context,
            OverrideDocument customer, OverrideDocument organization) {
        Run run = new Run(catalog, context, customer, organization);
        Map<String, FlagResult> results = new LinkedHashMap<>(catalog.size() * 2);
        for (FlagDefinition flag : catalog.flags()) {
            results.put(flag.key(), run.evaluate(flag));
        }
        return new Evaluation(catalog, results);
    }

    /** Evaluates one flag (and, on the way, its prerequisites). */
    public FlagResult evaluate(Catalog catalog, FlagDefinition flag, EvaluationContext context,
            OverrideDocument customer, OverrideDocument organization) {
        return new Run(catalog, context, customer, organization).evaluate(flag);
    }

    /** One evaluation pass: memoizes prerequisite results and guards against prerequisite cycles. */
    private static final class Run {
        private final Catalog catalog;
        private final EvaluationContext context;
        private final OverrideDocument customer;
        private final OverrideDocument organization;
        private final Map<String, FlagResult> done;
        private final Set<String> inProgress = new HashSet<>();

        Run(Catalog catalog, EvaluationContext context, OverrideDocument customer, OverrideDocument organization) {
            this.catalog = catalog;
            this.done = new HashMap<>(catalog.size() * 2);
            this.context = context;
            this.customer = customer == null ? OverrideDocument.EMPTY : customer;
            this.organization = organization == null ? OverrideDocument.EMPTY : organization;
        }

        FlagResult evaluate(FlagDefinition flag) {
            FlagResult known = done.get(flag.key());
            if (known != null) {
                return known;
            }
            inProgress.add(flag.key());
            FlagResult result = decide(flag);
            inProgress.remove(flag.key());
            done.put(flag.key(), result);
            return result;
        }

        private FlagResult decide(FlagDefinition flag) {
            // 1. The kill switch and a rolled-back rollout beat everything, overrides included.
            Rollout rollout = catalog.rollout(flag.key());
            if (!flag.enabled() || (rollout != null && rollout.status() == RolloutStatus.ROLLED_BACK)) {
                return new FlagResult(flag, false, Source.DISABLED);
            }
            // 2. A prerequisite that is false, missing or part of a cycle turns this flag off.
            for (String prerequisite : flag.prerequisites()) {
                if (!prerequisiteHolds(prerequisite)) {
                    return new FlagResult(flag, false, Source.PREREQUISITE);
                }
            }
            // 3-4. Overrides, the customer's own before its organization's.
            Boolean value = customer.get(flag.key());
            if (value != null) {
                return new FlagResult(flag, value, Source.CUSTOMER_OVERRIDE);
            }
            value = organization.get(flag.key());
            if (value != null) {
                return new FlagResult(flag, value, Source.ORGANIZATION_OVERRIDE);
            }
            // 5. Targeting rules: alternatives, the first match turns the flag on.
            for (Rule rule : flag.rules()) {
                if (rule.matches(flag.key(), context)) {
                    return new FlagResult(flag, true, Source.RULE);
                }
            }
            // 6. A rollout that has started decides alone: whitelist, blacklist, then the percentage.
            if (rollout != null && rollout.status().decides()) {
                return new FlagResult(flag, rollout.decide(context.customerId()).enabled(), Source.ROLLOUT);
            }
            // 6b. The flag's own percentage ramp: in the ramp is on; outside falls through.
            Integer percentage = flag.rolloutPercentage();
            if (percentage != null && percentage > 0 && (percentage >= 100 || (context.targetingKey() != null
                    && Bucketing.inRollout(flag.key(), context.targetingKey(), percentage)))) {
                return new FlagResult(flag, true, Source.PERCENTAGE);
            }
            // 7-8. Environment default, then system default.
            return new FlagResult(flag, flag.inheritedValue(context.environment()),
                    flag.inheritedSource(context.environment()));
        }

        private boolean prerequisiteHolds(String key) {
            if (inProgress.contains(key)) {
                return false;
            }
            return catalog.find(key).map(prerequisite -> evaluate(prerequisite).value()).orElse(false);
        }
    }
}
