package io.rollgate.flags.code;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.rollgate.catalog.RuleDto;
import io.rollgate.catalog.Rules;
import io.rollgate.catalog.WeightDto;
import io.rollgate.engine.FlagDefinition;
import io.rollgate.engine.Variants;
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
        Map<String, Boolean> environmentDefaults,
        @JsonInclude(JsonInclude.Include.NON_NULL) String type,
        @JsonInclude(JsonInclude.Include.NON_NULL) Map<String, Object> variants,
        @JsonInclude(JsonInclude.Include.NON_NULL) String defaultVariant,
        @JsonInclude(JsonInclude.Include.NON_NULL) List<WeightDto> split) {

    static FlagDocument of(FlagDefinition flag) {
        Variants typed = flag.variants();
        return new FlagDocument(flag.description(), flag.group(), flag.enabled(), flag.defaultValue(),
                flag.rolloutPercentage(), Rules.toDtos(flag.rules()), flag.prerequisites(),
                new TreeMap<>(flag.environmentDefaults()), typed == null ? null : typed.type().wireName(),
                typed == null ? null : new TreeMap<>(typed.values()), typed == null ? null : typed.defaultVariant(),
                typed == null || typed.split().isEmpty() ? null : Rules.splitDtos(typed.split()));
    }

    /** The request that defines this flag, for the same validation as a single flag write. */
    FlagRequest request(String name) {
        return new FlagRequest(name, description, group, enabled,
                defaultValue, rolloutPercentage, rules, prerequisites, environmentDefaults, null, null, null, null,
                null, null, type, variants, defaultVariant, split);
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
        if (type != null || variants != null) {
            fields.put("type", type);
            fields.put("variants", variants == null ? Map.of() : new TreeMap<>(variants));
            fields.put("defaultVariant", defaultVariant);
            fields.put("split", split == null ? List.of() : split);
        }
        return fields;
    }
}
