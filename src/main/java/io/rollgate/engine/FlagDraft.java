package io.rollgate.engine;

import java.util.List;
import java.util.Map;

/**
 * A flag as an operator wrote it, before anything is checked: every field may be missing or wrong.
 * {@link FlagValidation} turns it into a {@link FlagDefinition} or says everything that is wrong with it.
 *
 * @param name              the key; on an update the flag's own key or alias, or null
 * @param enabled           the kill switch; null keeps the flag's (a new flag starts enabled)
 * @param rolloutPercentage share of targeting keys the flag is on for; null for none
 */
public record FlagDraft(String name, String description, String group, Boolean enabled, Boolean defaultValue,
        Integer rolloutPercentage, List<WrittenRule> rules, List<String> prerequisites,
        Map<String, Boolean> environmentDefaults, Typed typed) {

    /** A boolean flag as written. */
    public FlagDraft(String name, String description, String group, Boolean enabled, Boolean defaultValue,
            Integer rolloutPercentage, List<WrittenRule> rules, List<String> prerequisites,
            Map<String, Boolean> environmentDefaults) {
        this(name, description, group, enabled, defaultValue, rolloutPercentage, rules, prerequisites,
                environmentDefaults, null);
    }

    /** A typed flag's part as written: the type name, variants by name, the default variant and the split. */
    public record Typed(String type, Map<String, Object> variants, String defaultVariant, List<WrittenWeight> split) {
    }

    /** A share of a split as written: a variant name and a weight. */
    public record WrittenWeight(Object variant, Object weight) {
    }

    /**
     * A targeting rule as written: a type name and a string, a list of strings or a percentage; for a typed flag,
     * the variant it serves or the split it makes.
     */
    public record WrittenRule(String type, Object value, String variant, List<WrittenWeight> split, String attribute,
            String operator) {

        public WrittenRule(String type, Object value) {
            this(type, value, null, null, null, null);
        }

        public WrittenRule(String type, Object value, String variant, List<WrittenWeight> split) {
            this(type, value, variant, split, null, null);
        }
    }
}
