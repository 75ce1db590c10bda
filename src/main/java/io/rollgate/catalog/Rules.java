package io.rollgate.catalog;

import io.rollgate.engine.FlagDraft;
import io.rollgate.engine.FlagValidation;
import io.rollgate.engine.Rule;
import java.util.ArrayList;
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
        rules.forEach(rule -> written.add(rule == null ? null : new FlagDraft.WrittenRule(rule.type(), rule.value())));
        return written;
    }

    /** Reads stored rules leniently: anything malformed is skipped rather than failing the whole catalog. */
    public static List<Rule> fromStored(List<Map<String, Object>> stored) {
        List<FlagDraft.WrittenRule> written = new ArrayList<>();
        for (Map<String, Object> rule : stored) {
            written.add(new FlagDraft.WrittenRule(String.valueOf(rule.get("type")), rule.get("value")));
        }
        return FlagValidation.rules(written, new ArrayList<>());
    }

    public static List<RuleDto> toDtos(List<Rule> rules) {
        return rules.stream().map(rule -> new RuleDto(rule.type().wireName(),
                rule.type() == Rule.Type.PERCENTAGE
                        ? (Object) rule.percentage()
                        : rule.values().stream().sorted().toList()))
                .toList();
    }
}
