package io.rollgate.engine;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Predicate;

/**
 * A targeting rule: user ids, group ids, environment names, a percentage of targeting keys, a test of a context
 * attribute, or membership of one of the named segments ({@code values}). A flag's rules are alternatives: the first that matches turns the flag on, or, for a typed flag,
 * serves its variant or splits over its split.
 */
public record Rule(Type type, Set<String> values, int percentage, String variant, List<Variants.Weight> split,
        Condition condition) {

    /** The rule kinds, by their wire names. */
    public enum Type {
        USER, GROUP, ENVIRONMENT, PERCENTAGE, ATTRIBUTE, SEGMENT;

        private final String wireName = name().toLowerCase(Locale.ROOT);

        public String wireName() {
            return wireName;
        }

        public static Type fromWire(String value) {
            for (Type type : values()) {
                if (type.wireName.equals(value)) {
                    return type;
                }
            }
            return null;
        }
    }

    public Rule {
        values = values == null ? Set.of() : Set.copyOf(values);
        split = split == null ? List.of() : List.copyOf(split);
    }

    public static Rule of(Type type, List<String> values) {
        return new Rule(type, Set.copyOf(values), 0, null, List.of(), null);
    }

    /** A rule on a context attribute: {@code plan in [pro, enterprise]}. */
    public static Rule attribute(Condition condition) {
        return new Rule(Type.ATTRIBUTE, Set.of(), 0, null, List.of(), condition);
    }

    public static Rule percentage(int percentage) {
        return new Rule(Type.PERCENTAGE, Set.of(), percentage, null, List.of(), null);
    }

    /** This rule serving a typed flag's variant, or splitting over variants, when it matches. */
    public Rule serving(String newVariant, List<Variants.Weight> newSplit) {
        return new Rule(type, values, percentage, newVariant, newSplit, condition);
    }

    /**
     * Whether the context matches; a percentage rule buckets the targeting key like a rollout does, and a segment
     * rule asks {@code inSegment} whether the context is in a segment of that name (a segment no longer there holds
     * no one).
     */
    public boolean matches(String flagKey, EvaluationContext context, Predicate<String> inSegment) {
        return switch (type) {
            case USER -> context.userId() != null && values.contains(context.userId());
            case GROUP -> context.groupId() != null && values.contains(context.groupId());
            case ENVIRONMENT -> context.ruleEnvironment() != null && values.contains(context.ruleEnvironment());
            case PERCENTAGE -> context.targetingKey() != null
                    && Bucketing.inRollout(flagKey, context.targetingKey(), percentage);
            case ATTRIBUTE -> condition.test(context).matched();
            case SEGMENT -> values.stream().anyMatch(inSegment);
        };
    }
}
