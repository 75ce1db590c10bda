package io.rollgate.engine;

import io.rollgate.errors.InvalidInputException;
import io.rollgate.errors.Violation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What makes a flag definition acceptable: a key that is well formed and does not nest into another
 * flag's path, a group name, a percentage from 0 to 100, rules the evaluator understands, environment
 * names, and prerequisites that exist and make no cycle. Every problem is reported with its field, not
 * just the first, so an operator fixes a definition in one round.
 */
public final class FlagValidation {

    public static final int MAX_RULES = 50;
    public static final int MAX_RULE_VALUES = 10_000;
    public static final int MAX_DESCRIPTION = 1000;

    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private FlagValidation() {
    }

    /** A new flag, checked against the catalog it joins: its key must be unused and not clash with a path. */
    public static FlagDefinition create(FlagDraft draft, Catalog catalog) {
        return definition(draft, catalog, null, true);
    }

    /** A change to {@code before}; its key, alias and (unless the draft names it) kill switch are kept. */
    public static FlagDefinition update(FlagDraft draft, Catalog catalog, FlagDefinition before) {
        if (draft != null && draft.name() != null && !draft.name().equals(before.key())
                && !draft.name().equals(before.alias())) {
            throw new InvalidInputException("name", "cannot change; create a new flag instead");
        }
        return definition(draft, catalog, before, true);
    }

    /**
     * A flag of a configuration document, checked against {@code target}, the catalog the whole document
     * would make: prerequisites, cycles and rules as for a single write. The key's form and path clashes are
     * checked by {@link #documentKey}, since the target already holds the key.
     */
    public static FlagDefinition inDocument(FlagDraft draft, Catalog target, FlagDefinition before) {
        return definition(draft, target, before, false);
    }

    /** A document's new key: well formed and not nesting into or around another flag of the target catalog. */
    public static void documentKey(String key, Catalog target, List<Violation> violations) {
        if (wellFormedKey(key, violations)) {
            target.pathClash(key).ifPresent(other -> violations.add(new Violation("name",
                    "clashes with the path of flag " + other)));
        }
    }

    /** A share of targeting keys: a whole number from 0 to 100. */
    public static int percentage(Integer percentage) {
        if (!isPercentage(percentage)) {
            throw new InvalidInputException("rolloutPercentage", "must be a whole number from 0 to 100");
        }
        return percentage;
    }

    /** {@code flag} with another share of targeting keys. */
    public static FlagDefinition withPercentage(FlagDefinition flag, Integer percentage) {
        percentage(percentage);
        return new FlagDefinition(flag.key(), flag.alias(), flag.description(), flag.group(), flag.enabled(),
                flag.defaultValue(), flag.environmentDefaults(), flag.prerequisites(), flag.rules(), percentage,
                flag.version(), flag.variants());
    }

    /** Stored rules, read leniently: one that is wrong is left out rather than failing the whole catalog. */
    public static List<Rule> storedRules(List<FlagDraft.WrittenRule> rules, Variants variants) {
        List<Violation> ignored = new ArrayList<>();
        return TypedValidation.rules(rules(rules, ignored), rules, variants, ignored);
    }

    /** A stored typed part, read leniently: null when it no longer reads as variants. */
    public static Variants storedVariants(FlagDraft.Typed typed) {
        List<Violation> violations = new ArrayList<>();
        Variants variants = TypedValidation.variants(typed, violations);
        return violations.isEmpty() ? variants : null;
    }

    /** The rules of a draft; each one that is wrong is left out and reported under {@code rules[i]}. */
    public static List<Rule> rules(List<FlagDraft.WrittenRule> rules, List<Violation> violations) {
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
            FlagDraft.WrittenRule rule = rules.get(i);
            if (rule == null) {
                violations.add(new Violation(field, "is null"));
                continue;
            }
            Rule.Type type = Rule.Type.fromWire(rule.type());
            if (type == null) {
                violations.add(new Violation(field + ".type",
                        "must be user, group, environment, percentage, attribute or segment"));
                continue;
            }
            if (type == Rule.Type.PERCENTAGE) {
                Integer percentage = writtenPercentage(rule.value());
                if (percentage == null) {
                    violations.add(new Violation(field + ".value", "must be a whole number from 0 to 100"));
                } else {
                    parsed.add(Rule.percentage(percentage));
                }
                continue;
            }
            List<String> values = strings(rule.value());
            if (type == Rule.Type.ATTRIBUTE) {
                Condition condition = condition(field, rule, operands(rule.value()), violations);
                if (condition != null) {
                    parsed.add(Rule.attribute(condition));
                }
                continue;
            }
            if (values == null) {
                violations.add(new Violation(field + ".value", "must be a string or a list of strings"));
            } else if (values.isEmpty()) {
                violations.add(new Violation(field + ".value", "must not be empty"));
            } else if (values.size() > MAX_RULE_VALUES) {
                violations.add(new Violation(field + ".value", "holds more than " + MAX_RULE_VALUES + " values"));
            } else if (values.stream().anyMatch(v -> v.isEmpty() || v.length() > 256)) {
                violations.add(new Violation(field + ".value", "values must be 1-256 characters"));
            } else {
                parsed.add(Rule.of(type, values));
            }
        }
        return parsed;
    }

    /** An attribute rule's condition: the attribute's name, a known operator and operands it can compare. */
    private static Condition condition(String field, FlagDraft.WrittenRule rule, List<String> values,
            List<Violation> violations) {
        if (rule.attribute() == null || !NAME.matcher(rule.attribute()).matches()) {
            violations.add(new Violation(field + ".attribute", "must name a context attribute: 1-64 of letters, "
                    + "digits and . _ -"));
            return null;
        }
        if (values == null || values.isEmpty()) {
            violations.add(new Violation(field + ".value", "must be a string or a non-empty list of strings"));
            return null;
        }
        if (values.size() > MAX_RULE_VALUES || values.stream().anyMatch(v -> v.length() > 256)) {
            violations.add(new Violation(field + ".value", "holds more than " + MAX_RULE_VALUES
                    + " values, or one longer than 256 characters"));
            return null;
        }
        return Condition.of(field, rule.attribute(), rule.operator(), values, violations);
    }

    private static FlagDefinition definition(FlagDraft draft, Catalog catalog, FlagDefinition before,
            boolean newKeyChecks) {
        if (draft == null) {
            throw new InvalidInputException("body", "is required");
        }
        List<Violation> violations = new ArrayList<>();
        String key = before != null ? before.key() : draft.name();
        if (before == null && newKeyChecks) {
            newKey(key, catalog, violations);
        }
        if (draft.description() != null && draft.description().length() > MAX_DESCRIPTION) {
            violations.add(new Violation("description", "is longer than " + MAX_DESCRIPTION + " characters"));
        }
        String group = draft.group() != null ? draft.group() : before != null ? before.group() : "default";
        if (!NAME.matcher(group).matches()) {
            violations.add(new Violation("group", "must be 1-64 of letters, digits and . _ -"));
        }
        Integer percentage = draft.rolloutPercentage();
        if (percentage != null && !isPercentage(percentage)) {
            violations.add(new Violation("rolloutPercentage", "must be a whole number from 0 to 100"));
        }
        // like the kill switch, a typed flag's variants stay when a change does not name them
        Variants variants = draft.typed() == null && before != null
                ? before.variants()
                : TypedValidation.variants(draft.typed(), violations);
        boolean typed = variants != null || TypedValidation.declaresType(draft);
        if (typed) {
            TypedValidation.booleanOnly(draft, violations);
        }
        List<Rule> rules = rules(draft.rules(), violations);
        if (!typed || variants != null) {
            // a typed flag's rules are checked against its variants once those are right
            rules = TypedValidation.rules(rules, draft.rules(), variants, violations);
        }
        Map<String, Boolean> environments = environments(draft.environmentDefaults(), violations);
        List<String> prerequisites = prerequisites(key, draft.prerequisites(), catalog, violations);
        segmentsExist(rules, draft.rules(), catalog, violations);
        if (!violations.isEmpty()) {
            throw new InvalidInputException(violations);
        }
        return new FlagDefinition(key, before != null ? before.alias() : null,
                draft.description() != null ? draft.description() : "", group,
                // the kill switch changes only when the draft names it
                draft.enabled() != null ? draft.enabled() : before == null || before.enabled(),
                draft.defaultValue() != null && draft.defaultValue(),
                environments, prerequisites, rules, percentage, before != null ? before.version() : 0, variants);
    }

    /** A new key must be well formed, unused, and must not nest into or around an existing flag's path. */
    private static void newKey(String key, Catalog catalog, List<Violation> violations) {
        if (!wellFormedKey(key, violations)) {
            return;
        }
        if (catalog.find(key).isPresent()) {
            violations.add(new Violation("name", "is already a flag or a flag's rollout name"));
            return;
        }
        catalog.pathClash(key).ifPresent(other -> violations.add(new Violation("name",
                "clashes with the path of flag " + other)));
    }

    private static boolean wellFormedKey(String key, List<Violation> violations) {
        if (key == null || !KEY.matcher(key).matches() || key.contains("..") || key.endsWith(".")) {
            violations.add(new Violation("name", "must be 1-128 of letters, digits and . _ -, starting with a "
                    + "letter or digit, without empty path segments"));
            return false;
        }
        return true;
    }

    private static Map<String, Boolean> environments(Map<String, Boolean> written, List<Violation> violations) {
        Map<String, Boolean> environments = new LinkedHashMap<>();
        if (written == null) {
            return environments;
        }
        written.forEach((environment, value) -> {
            if (environment == null || !NAME.matcher(environment).matches()) {
                violations.add(new Violation("environmentDefaults." + environment,
                        "names must be 1-64 of letters, digits and . _ -"));
            } else if (value == null) {
                violations.add(new Violation("environmentDefaults." + environment, "must be true or false"));
            } else {
                environments.put(environment, value);
            }
        });
        return environments;
    }

    /** A segment rule may name only segments the catalog holds: a typo would otherwise target no one, silently. */
    private static void segmentsExist(List<Rule> parsed, List<FlagDraft.WrittenRule> written, Catalog catalog,
            List<Violation> violations) {
        if (written == null || parsed.stream().noneMatch(rule -> rule.type() == Rule.Type.SEGMENT)) {
            return;
        }
        for (int i = 0; i < written.size(); i++) {
            FlagDraft.WrittenRule rule = written.get(i);
            if (rule == null || Rule.Type.fromWire(rule.type()) != Rule.Type.SEGMENT || strings(rule.value()) == null) {
                continue;
            }
            List<String> unknown = strings(rule.value()).stream().filter(name -> catalog.segment(name) == null)
                    .toList();
            if (!unknown.isEmpty()) {
                violations.add(new Violation("rules[" + i + "].value", "names no segment: " + String.join(", ",
                        unknown)));
            }
        }
    }

    /** Canonical prerequisite keys; unknown ones, the flag itself and cycles are refused. */
    private static List<String> prerequisites(String key, List<String> names, Catalog catalog,
            List<Violation> violations) {
        List<String> keys = new ArrayList<>();
        if (names == null) {
            return keys;
        }
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            FlagDefinition prerequisite = name == null ? null : catalog.find(name).orElse(null);
            if (prerequisite == null) {
                violations.add(new Violation("prerequisites[" + i + "]", "is not a known flag"));
            } else if (prerequisite.typed()) {
                violations.add(new Violation("prerequisites[" + i + "]", "must be a boolean flag: " + prerequisite.key()
                        + " serves variants, and a prerequisite is on or off"));
            } else if (prerequisite.key().equals(key)) {
                violations.add(new Violation("prerequisites[" + i + "]", "a flag cannot require itself"));
            } else if (catalog.dependsOn(prerequisite.key(), key)) {
                violations.add(new Violation("prerequisites[" + i + "]", "would make a cycle: " + prerequisite.key()
                        + " already depends on " + key));
            } else if (!keys.contains(prerequisite.key())) {
                keys.add(prerequisite.key());
            }
        }
        return keys;
    }

    private static boolean isPercentage(Integer percentage) {
        return percentage != null && percentage >= 0 && percentage <= 100;
    }

    private static Integer writtenPercentage(Object value) {
        if (value instanceof Integer number && number >= 0 && number <= 100) {
            return number;
        }
        if (value instanceof String text && text.matches("\\d{1,3}")) {
            int number = Integer.parseInt(text);
            return number <= 100 ? number : null;
        }
        return null;
    }

    /** An attribute rule's operands: strings, or numbers and booleans as their text. */
    private static List<String> operands(Object value) {
        if (value instanceof Number || value instanceof Boolean) {
            return List.of(String.valueOf(value));
        }
        if (value instanceof List<?> list && list.stream().allMatch(item -> item instanceof String
                || item instanceof Number || item instanceof Boolean)) {
            return list.stream().map(String::valueOf).toList();
        }
        return strings(value);
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
