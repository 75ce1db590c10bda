package io.rollgate.flags;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.rollgate.catalog.RuleDto;
import io.rollgate.catalog.Rules;
import io.rollgate.engine.FlagDefinition;
import java.util.List;
import java.util.Map;

/** A flag definition as the API shows it. */
@RegisterForReflection
public record FlagView(String name, String alias, String description, String group, boolean enabled,
        boolean defaultValue, Integer rolloutPercentage, List<RuleDto> rules, List<String> prerequisites,
        Map<String, Boolean> environmentDefaults, long version) {

    static FlagView of(FlagDefinition flag) {
        return new FlagView(flag.key(), flag.alias(), flag.description(), flag.group(), flag.enabled(),
                flag.defaultValue(), flag.rolloutPercentage(), Rules.toDtos(flag.rules()), flag.prerequisites(),
                flag.environmentDefaults(), flag.version());
    }
}
