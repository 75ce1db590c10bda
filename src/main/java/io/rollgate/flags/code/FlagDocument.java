package io.rollgate.flags.code;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.rollgate.catalog.RuleDto;
import io.rollgate.catalog.Rules;
import io.rollgate.engine.FlagDefinition;
import io.rollgate.flags.admin.FlagRequest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One flag of the configuration document, as teams keep it in Git: its definition only, keys sorted and
 * nothing volatile (no version, no timestamps), so an unchanged catalog exports byte for byte the same.
 */
@RegisterForReflection
@JsonPropertyOrder(alphabetic = true)
public record FlagDocument(String description, String group, Boolean enabled, Boolean defaultValue,
        Integer rolloutPercentage, List<RuleDto> rules, List<String> prerequisites,
        Map<String, Boolean> environmentDefaults) {

    static FlagDocument of(FlagDefinition flag) {
        return new FlagDocument(flag.description(), flag.group(), flag.enabled(), flag.defaultValue(),
                flag.rolloutPercentage(), Rules.toDtos(flag.rules()), flag.prerequisites(),
                new TreeMap<>(flag.environmentDefaults()));
    }

    /** The request that defines this flag, for the same validation as a single flag write. */
    FlagRequest request(String name) {
        return new FlagRequest(name, description, group, enabled,
                defaultValue, rolloutPercentage, rules, prerequisites, environmentDefaults, null, null, null, null,
                null,
                null);
    }

    /** Field by field, for the plan's diff. */
    Map<String, Object> fields() {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("defaultValue", defaultValue);
        fields.put("description", description);
        fields.put("enabled", enabled);
        fields.put("environmentDefaults", environmentDefaults == null ? Map.of() : new TreeMap<>(environmentDefaults));
        fields.put("group", group);
        fields.put("prerequisites", prerequisites == null ? List.of() : prerequisites);
        fields.put("rolloutPercentage", rolloutPercentage);
        fields.put("rules", rules == null ? List.of() : rules);
        return fields;
    }
}
