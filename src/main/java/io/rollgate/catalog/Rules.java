package io.rollgate.catalog;

import io.rollgate.engine.FlagDraft;
import io.rollgate.engine.FlagValidation;
import io.rollgate.engine.Rule;
import io.rollgate.engine.Variants;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Converts rules between the API shape, the stored JSON and the engine (which says what is valid). */
public final class Rules {

    private Rules() {
    }

    /** Rules as a caller wrote them, for the engine to check. */
    public static List<FlagDraft.WrittenRule> written(List<RuleDto> rules) {
        if (rules == null) {
            return null;
        }
        List<FlagDraft.WrittenRule> written = new ArrayList<>(rules.size());
        rules.forEach(rule -> written.add(rule == null
                ? null
                : new FlagDraft.WrittenRule(rule.type(), rule.value(), rule.variant(), weights(rule.split()),
                        rule.attribute(), rule.operator())));
        return written;
    }

    /** Reads stored rules leniently: anything malformed is skipped rather than failing the whole catalog. */
    public static List<Rule> fromStored(List<Map<String, Object>> stored, Variants variants) {
        return FlagValidation.storedRules(writtenStored(stored), variants);
    }

    /** Stored rules as written, for the engine to read (leniently) or check. */
    public static List<FlagDraft.WrittenRule> writtenStored(List<Map<String, Object>> stored) {
        List<FlagDraft.WrittenRule> written = new ArrayList<>();
        for (Map<String, Object> rule : stored) {
            written.add(new FlagDraft.WrittenRule(String.valueOf(rule.get("type")), rule.get("value"),
                    rule.get("variant") instanceof String variant ? variant : null, storedWeights(rule.get("split")),
                    rule.get("attribute") instanceof String attribute ? attribute : null,
                    rule.get("operator") instanceof String operator ? operator : null));
        }
        return written;
    }

    public static List<RuleDto> toDtos(List<Rule> rules) {
        return rules.stream().map(rule -> new RuleDto(rule.type().wireName(),
                switch (rule.type()) {
                    case PERCENTAGE -> (Object) rule.percentage();
                    case ATTRIBUTE -> rule.condition().values();
                    default -> rule.values().stream().sorted().toList();
                },
                rule.variant(), rule.split().isEmpty() ? null : splitDtos(rule.split()),
                rule.condition() == null ? null : rule.condition().attribute(),
                rule.condition() == null ? null : rule.condition().operator().wireName()))
                .toList();
    }

    /** A split as the API shows it. */
    public static List<WeightDto> splitDtos(List<Variants.Weight> split) {
        return split.stream().map(weight -> new WeightDto(weight.variant(), weight.weight())).toList();
    }

    /** A split as a caller wrote it, for the engine to check. */
    public static List<FlagDraft.WrittenWeight> weights(List<WeightDto> split) {
        if (split == null) {
            return null;
        }
        List<FlagDraft.WrittenWeight> written = new ArrayList<>(split.size());
        split.forEach(weight -> written.add(weight == null
                ? null
                : new FlagDraft.WrittenWeight(weight.variant(), weight.weight())));
        return written;
    }

    /** A split as stored: a list of {variant, weight} objects. */
    static List<FlagDraft.WrittenWeight> storedWeights(Object stored) {
        if (!(stored instanceof List<?> list)) {
            return null;
        }
        List<FlagDraft.WrittenWeight> written = new ArrayList<>(list.size());
        for (Object item : list) {
            written.add(item instanceof Map<?, ?> weight
                    ? new FlagDraft.WrittenWeight(weight.get("variant"), weight.get("weight"))
                    : null);
        }
        return written;
    }

    /** A typed flag's part as stored: {type, variants, defaultVariant, split}; null for a boolean flag. */
    public static Map<String, Object> toStored(Variants variants) {
        if (variants == null) {
            return null;
        }
        Map<String, Object> stored = new LinkedHashMap<>();
        stored.put("type", variants.type().wireName());
        stored.put("variants", variants.values());
        stored.put("defaultVariant", variants.defaultVariant());
        stored.put("split", splitDtos(variants.split()));
        return stored;
    }

    /** Reads a stored typed part; one that no longer reads as variants is dropped (the flag then serves on and off). */
    public static Variants fromStored(Map<String, Object> stored) {
        if (stored == null) {
            return null;
        }
        Map<String, Object> values = null;
        if (stored.get("variants") instanceof Map<?, ?> map) {
            values = new LinkedHashMap<>();
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                values.put(String.valueOf(entry.getKey()), entry.getValue());
            }
        }
        return FlagValidation.storedVariants(new FlagDraft.Typed(String.valueOf(stored.get("type")), values,
                stored.get("defaultVariant") instanceof String name ? name : null,
                storedWeights(stored.get("split"))));
    }
}
