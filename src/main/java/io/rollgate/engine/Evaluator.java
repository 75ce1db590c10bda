package io.rollgate.engine;

import static io.rollgate.engine.Explanation.Outcome.DECIDED;
import static io.rollgate.engine.Explanation.Outcome.PASSED;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.TreeSet;
import java.util.function.Predicate;

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
        catalog.flags().forEach(run::evaluate);
        return new Evaluation(catalog, run.done); // every flag in its place in catalog order
    }

    /** Evaluates one flag (and, on the way, its prerequisites). */
    public FlagResult evaluate(Catalog catalog, FlagDefinition flag, EvaluationContext context,
            OverrideDocument customer, OverrideDocument organization) {
        return new Run(catalog, context, customer, organization).evaluate(flag);
    }

    /**
     * Evaluates one flag as {@link #evaluate} does, recording each step: the explanation comes from the very code
     * that decides, so it cannot say something other than what a widget gets.
     */
    public Explanation explain(Catalog catalog, FlagDefinition flag, EvaluationContext context,
            OverrideDocument customer, OverrideDocument organization) {
        Run run = new Run(catalog, context, customer, organization);
        run.traced = flag.key();
        FlagResult result = run.evaluate(flag);
        return new Explanation(result, List.copyOf(run.steps));
    }

    /** One evaluation pass: memoizes prerequisite results and guards against prerequisite cycles. */
    private static final class Run {
        private final Catalog catalog;
        private final EvaluationContext context;
        private final OverrideDocument customer;
        private final OverrideDocument organization;
        /** Results and flags under way by catalog place: maps cost a render anew an entry or two per flag. */
        private final FlagResult[] done;
        private final boolean[] inProgress;
        /** The flag whose steps are recorded (its prerequisites' are not); null when nothing is explained. */
        private String traced;
        private final List<Explanation.Step> steps = new ArrayList<>();
        /** Whether the context is in the segment of that name, for segment rules. */
        private final Predicate<String> inSegment;

        Run(Catalog catalog, EvaluationContext context, OverrideDocument customer, OverrideDocument organization) {
            this.catalog = catalog;
            this.done = new FlagResult[catalog.size()];
            this.inProgress = new boolean[catalog.size()];
            this.context = context;
            this.customer = customer == null ? OverrideDocument.EMPTY : customer;
            this.organization = organization == null ? OverrideDocument.EMPTY : organization;
            this.inSegment = name -> {
                Segment segment = catalog.segment(name);
                return segment != null && segment.contains(context);
            };
        }

        private void step(String step, Explanation.Outcome outcome, String detail) {
            steps.add(new Explanation.Step(step, outcome, detail));
        }

        FlagResult evaluate(FlagDefinition flag) {
            int position = catalog.position(flag.key());
            if (position < 0) {
                return decide(flag); // a flag not (yet) in the catalog: no prerequisite can lead back to it
            }
            FlagResult known = done[position];
            if (known != null) {
                return known;
            }
            inProgress[position] = true;
            FlagResult result = decide(flag);
            inProgress[position] = false;
            done[position] = result;
            return result;
        }

        private FlagResult decide(FlagDefinition flag) {
            // the hot path pays one comparison for the explanation; every word of it is built only when asked
            boolean explain = traced != null && traced.equals(flag.key());
            if (flag.typed()) {
                return decideTyped(flag, explain);
            }
            // 1. The kill switch and a rolled-back rollout beat everything, overrides included.
            Rollout rollout = catalog.rollout(flag.key());
            if (!flag.enabled() || (rollout != null && rollout.status() == RolloutStatus.ROLLED_BACK)) {
                if (explain) {
                    step("kill switch", DECIDED, !flag.enabled()
                            ? "the flag is switched off for everyone (kill switch), overrides included"
                            : "its rollout was rolled back: off for everyone, overrides included");
                }
                return new FlagResult(flag, false, Source.DISABLED);
            }
            if (explain) {
                step("kill switch", PASSED, "not switched off");
            }
            // 2. A prerequisite that is false, missing or part of a cycle turns this flag off.
            if (!prerequisitesHold(flag, explain, "")) {
                return new FlagResult(flag, false, Source.PREREQUISITE);
            }
            // 3-4. Overrides, the customer's own before its organization's.
            Boolean value = customer.get(flag.key());
            if (value != null) {
                if (explain) {
                    step("customer override", DECIDED, "customer " + context.customerId() + "'s document sets "
                            + flag.key() + " to " + value);
                }
                return new FlagResult(flag, value, Source.CUSTOMER_OVERRIDE);
            }
            if (explain) {
                step("customer override", PASSED, context.customerId() == null
                        ? "no customer given"
                        : "customer " + context.customerId() + "'s document does not set " + flag.key());
            }
            value = organization.get(flag.key());
            if (value != null) {
                if (explain) {
                    step("organization override", DECIDED, "organization " + context.organizationId()
                            + "'s document sets " + flag.key() + " to " + value);
                }
                return new FlagResult(flag, value, Source.ORGANIZATION_OVERRIDE);
            }
            if (explain) {
                step("organization override", PASSED, context.organizationId() == null
                        ? "no organization given: an organization's overrides could not apply"
                        : "organization " + context.organizationId() + "'s document does not set " + flag.key());
            }
            // 5. Targeting rules: alternatives, the first match turns the flag on.
            for (int i = 0; i < flag.rules().size(); i++) {
                Rule rule = flag.rules().get(i);
                if (rule.matches(flag.key(), context, inSegment)) {
                    if (explain) {
                        step("rules", DECIDED, "rule " + (i + 1) + " (" + describe(rule) + ") matched"
                                + bucketOf(flag, rule));
                    }
                    return new FlagResult(flag, true, Source.RULE);
                }
                if (explain) {
                    step("rules", PASSED, "rule " + (i + 1) + " (" + describe(rule) + ") did not match: "
                            + missed(flag, rule));
                }
            }
            if (explain && flag.rules().isEmpty()) {
                step("rules", PASSED, "none");
            }
            // 6. A rollout that has started decides alone: whitelist, blacklist, then the percentage.
            if (rollout != null && rollout.status().decides()) {
                Rollout.Decision decision = rollout.decide(context.customerId());
                if (explain) {
                    step("rollout", DECIDED, "rollout " + rollout.status().wireName() + " at " + rollout.tier()
                            .wireName() + " (" + rollout.percentage() + " %): " + decision.reason().replace('_', ' ')
                            + (decision.bucket() > 0
                                    ? ", bucket " + decision.bucket() + (decision.enabled() ? " within " : " above ")
                                            + rollout.percentage() + " %"
                                    : ""));
                }
                return new FlagResult(flag, decision.enabled(), Source.ROLLOUT);
            }
            if (explain) {
                step("rollout", PASSED, rollout == null
                        ? "no rollout"
                        : "the rollout is a " + rollout.status().wireName() + " (not started)");
            }
            // 6b. The flag's own percentage ramp: in the ramp is on; outside falls through.
            Integer percentage = flag.rolloutPercentage();
            if (percentage != null && percentage > 0 && (percentage >= 100 || (context.targetingKey() != null
                    && Bucketing.inRollout(flag.key(), context.targetingKey(), percentage)))) {
                if (explain) {
                    step("percentage", DECIDED, percentage >= 100
                            ? "the flag is on for 100 % of customers"
                            : "bucket " + Bucketing.bucket(flag.key(), context.targetingKey()) + " within "
                                    + percentage + " %");
                }
                return new FlagResult(flag, true, Source.PERCENTAGE);
            }
            if (explain) {
                step("percentage", PASSED, percentage == null || percentage == 0
                        ? "no percentage"
                        : context.targetingKey() == null
                                ? "no customer id to bucket against " + percentage + " %"
                                : "bucket " + Bucketing.bucket(flag.key(), context.targetingKey()) + " above "
                                        + percentage + " %");
            }
            // 7-8. Environment default, then system default.
            boolean inherited = flag.inheritedValue(context.environment());
            Source source = flag.inheritedSource(context.environment());
            if (explain) {
                step("default", DECIDED, source == Source.ENVIRONMENT
                        ? "the " + context.environment() + " environment's default: " + inherited
                        : "the flag's default: " + inherited);
            }
            return new FlagResult(flag, inherited, source);
        }

        /**
         * A typed flag: the kill switch and an unmet prerequisite serve the default variant; then the first matching
         * rule serves its variant or splits; then the flag's split; then the default variant. Override documents hold
         * on and off only, and rollouts widen on and off, so neither applies.
         */
        private FlagResult decideTyped(FlagDefinition flag, boolean explain) {
            Variants variants = flag.variants();
            String fallback = variants.defaultVariant();
            if (!flag.enabled()) {
                if (explain) {
                    step("kill switch", DECIDED, "the flag is switched off: it serves its default variant " + fallback);
                }
                return typed(flag, fallback, Source.DISABLED);
            }
            if (explain) {
                step("kill switch", PASSED, "not switched off");
            }
            if (!prerequisitesHold(flag, explain, ": the default variant " + fallback)) {
                return typed(flag, fallback, Source.PREREQUISITE);
            }
            if (explain) {
                step("overrides", PASSED, "override documents set on and off only: they do not apply to a "
                        + variants.type().wireName() + " flag");
            }
            for (int i = 0; i < flag.rules().size(); i++) {
                Rule rule = flag.rules().get(i);
                String named = "rule " + (i + 1) + " (" + describe(rule) + ")";
                if (rule.variant() == null && rule.split().isEmpty()) {
                    continue; // a stored rule that no longer names a variant serves nothing
                }
                if (!rule.matches(flag.key(), context, inSegment)) {
                    if (explain) {
                        step("rules", PASSED, named + " did not match: " + missed(flag, rule));
                    }
                    continue;
                }
                if (rule.split().isEmpty()) {
                    if (explain) {
                        step("rules", DECIDED, named + " matched" + bucketOf(flag, rule) + ": variant "
                                + rule.variant());
                    }
                    return typed(flag, rule.variant(), Source.RULE);
                }
                if (context.targetingKey() == null) {
                    if (explain) {
                        step("rules", PASSED, named + " matched, but it splits and there is no targeting key");
                    }
                    continue;
                }
                Variants.Pick pick = Variants.pick(flag.key(), context.targetingKey(), rule.split());
                if (explain) {
                    step("rules", DECIDED,
                            named + " matched" + bucketOf(flag, rule) + "; " + split(rule.split(), pick));
                }
                return typed(flag, pick.variant(), Source.PERCENTAGE);
            }
            if (explain && flag.rules().isEmpty()) {
                step("rules", PASSED, "none");
            }
            if (!variants.split().isEmpty()) {
                if (context.targetingKey() != null) {
                    Variants.Pick pick = Variants.pick(flag.key(), context.targetingKey(), variants.split());
                    if (explain) {
                        step("split", DECIDED, split(variants.split(), pick));
                    }
                    return typed(flag, pick.variant(), Source.PERCENTAGE);
                }
                if (explain) {
                    step("split", PASSED, "no targeting key to split " + Variants.describe(variants.split()));
                }
            } else if (explain) {
                step("split", PASSED, "none");
            }
            if (explain) {
                step("default", DECIDED, "the default variant " + fallback);
            }
            return typed(flag, fallback, Source.DEFAULT);
        }

        private static FlagResult typed(FlagDefinition flag, String variant, Source source) {
            boolean chosen = source == Source.RULE || source == Source.PERCENTAGE;
            return new FlagResult(flag, chosen, source, variant, flag.variants().value(variant));
        }

        private static String split(List<Variants.Weight> split, Variants.Pick pick) {
            StringBuilder draws = new StringBuilder();
            pick.draws().forEach((variant, draw) -> draws.append(draws.length() == 0 ? "" : ", ").append(variant)
                    .append(' ').append(String.format(Locale.ROOT, "%.4f", draw)));
            return "split " + Variants.describe(split) + ": variant " + pick.variant() + " (weighted draws "
                    + draws + "; the lowest wins)";
        }

        /**
         * Whether every prerequisite of the flag is on; the explanation names the first that is off and why (then
         * {@code served}, what the flag serves instead), or says they all hold.
         */
        private boolean prerequisitesHold(FlagDefinition flag, boolean explain, String served) {
            List<String> prerequisites = flag.prerequisites();
            for (int i = 0; i < prerequisites.size(); i++) { // no iterator for every flag of every render
                String prerequisite = prerequisites.get(i);
                if (!prerequisiteHolds(prerequisite)) {
                    if (explain) {
                        step("prerequisites", DECIDED, "prerequisite " + prerequisite + " is off: "
                                + prerequisiteState(prerequisite) + served);
                    }
                    return false;
                }
            }
            if (explain) {
                step("prerequisites", PASSED, flag.prerequisites().isEmpty()
                        ? "none"
                        : "every prerequisite is on: " + String.join(", ", flag.prerequisites()));
            }
            return true;
        }

        /** Why a prerequisite counts as off, for an explanation. */
        private String prerequisiteState(String key) {
            FlagDefinition prerequisite = catalog.named(key);
            int position = prerequisite == null ? -1 : catalog.position(prerequisite.key());
            if (position >= 0 && inProgress[position]) {
                return "it depends on this flag (a cycle)";
            }
            FlagResult result = position < 0 ? null : done[position];
            return result == null ? "no such flag" : "decided by " + result.source().wireName();
        }

        /** What made a matching rule match, where the rule alone does not say: the bucket, the segment. */
        private String bucketOf(FlagDefinition flag, Rule rule) {
            if (rule.type() == Rule.Type.SEGMENT) {
                return new TreeSet<>(rule.values()).stream().map(catalog::segment).filter(Objects::nonNull)
                        .map(segment -> segment.membership(context)).filter(Segment.Membership::in).findFirst()
                        .map(membership -> " (" + membership.reason() + ")").orElse("");
            }
            return rule.type() == Rule.Type.PERCENTAGE
                    ? ", bucket " + Bucketing.bucket(flag.key(), context.targetingKey()) + " within "
                            + rule.percentage() + " %"
                    : "";
        }

        private String missed(FlagDefinition flag, Rule rule) {
            return switch (rule.type()) {
                case USER -> context.userId() == null ? "no userId in the context" : "userId is " + context.userId();
                case GROUP -> context.groupId() == null
                        ? "no groupId in the context"
                        : "groupId is " + context.groupId();
                case ENVIRONMENT -> "environment is " + context.ruleEnvironment();
                case PERCENTAGE -> context.targetingKey() == null
                        ? "no customer id to bucket"
                        : "bucket " + Bucketing.bucket(flag.key(), context.targetingKey()) + " above "
                                + rule.percentage() + " %";
                case ATTRIBUTE -> rule.condition().test(context).reason();
                case SEGMENT -> segments(rule);
            };
        }

        /** Why a context is in none of a rule's segments, one reason per segment. */
        private String segments(Rule rule) {
            List<String> reasons = new ArrayList<>();
            for (String name : new TreeSet<>(rule.values())) {
                Segment segment = catalog.segment(name);
                reasons.add(segment == null
                        ? "segment " + name + " does not exist"
                        : segment.membership(context)
                                .reason());
            }
            return String.join("; ", reasons);
        }

        private static String describe(Rule rule) {
            String serves = rule.variant() != null
                    ? " -> " + rule.variant()
                    : rule.split().isEmpty() ? "" : " -> split " + Variants.describe(rule.split());
            String test = switch (rule.type()) {
                case PERCENTAGE -> "percentage: " + rule.percentage();
                case ATTRIBUTE -> rule.condition().attribute() + " " + rule.condition().operator().wireName() + " "
                        + String.join(", ", rule.condition().values());
                default -> rule.type().wireName() + ": " + String.join(", ", new TreeSet<>(rule.values()));
            };
            return test + serves;
        }

        private boolean prerequisiteHolds(String key) {
            FlagDefinition prerequisite = catalog.named(key); // a named flag always has its place in the catalog
            return prerequisite != null && !inProgress[catalog.position(prerequisite.key())]
                    && evaluate(prerequisite).value();
        }
    }
}
