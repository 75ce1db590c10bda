package io.rollgate.catalog;

import io.rollgate.engine.Rule;
import io.rollgate.engine.Violation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Converts rules between the API shape, the stored JSON and the engine, validating what callers send. */
public final class Rules {

    static final int MAX_RULES = 50;
    static final int MAX_VALUES = 10_000;

    private Rules() {
    }

    /** Validates rules sent by a caller; every problem is reported with its field. */
    public static List<Rule> fromRequest(List<RuleDto> rules, List<Violation> violations) {
        List<Rule> parsed = new ArrayList<>();
        if (rules == null) {
            return parsed;
        }
        if (rules.size() > MAX_RULES) {
            violations.add(new Violation("rules", "holds more than " + MAX_RULES + " rules"));
            return parsed;
        }
        for (int i = 0; i < rules.size(); i++) {
            String field = "rules[" + i + "]";
            RuleDto rule = rules.get(i);
            if (rule == null) {
                violations.add(new Violation(field, "is null"));
                continue;
            }
            Rule.Type type = Rule.Type.fromWire(rule.type());
            if (type == null) {
                violations.add(new Violation(field + ".type", "must be user, group, environment or percentage"));
                continue;
            }
            if (type == Rule.Type.PERCENTAGE) {
                Integer percentage = percentage(rule.value());
                if (percentage == null) {
                    violations.add(new Violation(field + ".value", "must be a whole number from 0 to 100"));
                } else {
                    parsed.add(Rule.percentage(percentage));
                }
                continue;
            }
            List<String> values = strings(rule.value());
            if (values == null) {
                violations.add(new Violation(field + ".value", "must be a string or a list of strings"));
            } else if (values.isEmpty()) {
                violations.add(new Violation(field + ".value", "must not be empty"));
            } else if (values.size() > MAX_VALUES) {
                violations.add(new Violation(field + ".value", "holds more than " + MAX_VALUES + " values"));
            } else if (values.stream().anyMatch(v -> v.isEmpty() || v.length() > 256)) {
                violations.add(new Violation(field + ".value", "values must be 1-256 characters"));
            } else {
                parsed.add(Rule.of(type, values));
            }
        }
        return parsed;
    }

    /** Reads stored rules leniently: anything malformed is skipped rather than failing the whole catalog. */
    public static List<Rule> fromStored(List<Map<String, Object>> stored) {
        List<Violation> ignored = new ArrayList<>();
        List<RuleDto> dtos = new ArrayList<>();
        for (Map<String, Object> rule : stored) {
            dtos.add(new RuleDto(String.valueOf(rule.get("type")), rule.get("value")));
        }
        return fromRequest(dtos, ignored);
    }

    public static List<RuleDto> toDtos(List<Rule> rules) {
        return rules.stream().map(rule -> new RuleDto(rule.type().wireName(),
                rule.type() == Rule.Type.PERCENTAGE
                        ? (Object) rule.percentage()
                        : rule.values().stream().sorted().toList()))
                .toList();
    }

    private static Integer percentage(Object value) {
        if (value instanceof Integer number && number >= 0 && number <= 100) {
            return number;
        }
        if (value instanceof String text && text.matches("\\d{1,3}")) {
            int number = Integer.parseInt(text);
            return number <= 100 ? number : null;
        }
        return null;
    }

    private static List<String> strings(Object value) {
        if (value instanceof String text) {
            return List.of(text);
        }
        if (value instanceof List<?> list) {
            List<String> strings = new ArrayList<>();
            for (Object item : list) {
                if (!(item instanceof String text)) {
                    return null;
                }
                strings.add(text);
            }
            return strings;
        }
        return null;
    }
}
