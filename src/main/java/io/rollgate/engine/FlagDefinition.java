package io.rollgate.engine;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One flag of the catalog as the engine sees it: immutable, no framework types.
 *
 * @param key                 canonical key, such as {@code sessionPersistence.phase2.enhancedStorage}
 * @param alias               optional second name, such as {@code phase2_enhanced_storage}
 * @param group               group or phase the flag is listed under
 * @param enabled             false when the global kill switch is on
 * @param defaultValue        system default, used when the environment has no default
 * @param environmentDefaults value per environment name
 * @param prerequisites       keys of flags that must evaluate true for this one to be true
 * @param rules               targeting rules; the first match turns the flag on
 * @param rolloutPercentage   share of targeting keys the flag is on for, or null for no percentage ramp
 * @param variants            a typed flag's type, variants, default variant and split; null for a boolean flag
 */
public record FlagDefinition(
        String key,
        String alias,
        String description,
        String group,
        boolean enabled,
        boolean defaultValue,
        Map<String, Boolean> environmentDefaults,
        List<String> prerequisites,
        List<Rule> rules,
        Integer rolloutPercentage,
        long version,
        Variants variants) {

    public FlagDefinition {
        Objects.requireNonNull(key, "key");
        environmentDefaults = Map.copyOf(environmentDefaults);
        prerequisites = List.copyOf(prerequisites);
        rules = rules == null ? List.of() : List.copyOf(rules);
    }

    /** A flag without rules or percentage, as the widget catalog ships them. */
    public FlagDefinition(String key, String alias, String description, String group, boolean enabled,
            boolean defaultValue, Map<String, Boolean> environmentDefaults, List<String> prerequisites, long version) {
        this(key, alias, description, group, enabled, defaultValue, environmentDefaults, prerequisites, List.of(),
                null, version, null);
    }

    /** A boolean flag. */
    public FlagDefinition(String key, String alias, String description, String group, boolean enabled,
            boolean defaultValue, Map<String, Boolean> environmentDefaults, List<String> prerequisites,
            List<Rule> rules, Integer rolloutPercentage, long version) {
        this(key, alias, description, group, enabled, defaultValue, environmentDefaults, prerequisites, rules,
                rolloutPercentage, version, null);
    }

    /** Whether the flag serves typed variants rather than on and off. */
    public boolean typed() {
        return variants != null;
    }

    /** Whether one of its rules targets the segment of that key. */
    public boolean namesSegment(String segmentKey) {
        return rules.stream().anyMatch(rule -> rule.type() == Rule.Type.SEGMENT && rule.values().contains(segmentKey));
    }

    /** The name its rollout and rollout events are stored under: the widget flag's alias, else the key. */
    public String rolloutName() {
        return alias != null ? alias : key;
    }

    /** Whether deciding this flag may need a targeting key to bucket (a percentage below 100). */
    public boolean splits() {
        return (rolloutPercentage != null && rolloutPercentage > 0 && rolloutPercentage < 100)
                || rules.stream().anyMatch(rule -> rule.type() == Rule.Type.PERCENTAGE || !rule.split().isEmpty())
                || (variants != null && !variants.split().isEmpty());
    }

    /** The value a scope inherits when nothing overrides it: environment default, else system default. */
    public boolean inheritedValue(String environment) {
        Boolean value = environmentDefaults.get(environment);
        return value != null ? value : defaultValue;
    }

    public Source inheritedSource(String environment) {
        return environmentDefaults.containsKey(environment) ? Source.ENVIRONMENT : Source.DEFAULT;
    }

    public FlagDefinition withEnabled(boolean newEnabled) {
        return new FlagDefinition(key, alias, description, group, newEnabled, defaultValue,
                environmentDefaults, prerequisites, rules, rolloutPercentage, version, variants);
    }
}
