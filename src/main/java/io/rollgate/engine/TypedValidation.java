package io.rollgate.engine;

import io.rollgate.errors.Violation;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What makes a typed flag well formed: a known type, named variants whose values are of that type (objects within a
 * size bound), a default variant among them, splits over known variants with whole, non-negative weights, and rules
 * that each serve a variant or split. A boolean flag may carry none of it.
 */
final class TypedValidation {

    static final int MAX_VARIANTS = 50;
    static final int MAX_STRING = 10_000;
    /** The largest object or list value, counted as JSON-ish characters: remote configuration, not documents. */
    static final int MAX_OBJECT = 32 * 1024;
    static final int MAX_WEIGHT = 1_000_000;
    private static final Pattern VARIANT = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private TypedValidation() {
    }

    /** The typed part of a draft, or null for a boolean flag; what is wrong is added to {@code violations}. */
    static Variants variants(FlagDraft.Typed typed, List<Violation> violations) {
        if (typed == null || typed.type() == null || "boolean".equals(typed.type())) {
            if (typed != null && (typed.variants() != null || typed.defaultVariant() != null
                    || typed.split() != null)) {
                violations.add(new Violation("type", "must be string, number or object for a flag with variants"));
            }
            return null;
        }
        Variants.Type type = Variants.Type.fromWire(typed.type());
        if (type == null) {
            violations.add(new Violation("type", "must be boolean, string, number or object"));
            return null;
        }
        int before = violations.size();
        Map<String, Object> values = new LinkedHashMap<>();
        if (typed.variants() == null || typed.variants().isEmpty()) {
            violations.add(new Violation("variants", "must name at least one variant and its value"));
        } else if (typed.variants().size() > MAX_VARIANTS) {
            violations.add(new Violation("variants", "holds more than " + MAX_VARIANTS + " variants"));
        } else {
            typed.variants().forEach((name, value) -> {
                String field = "variants." + name;
                if (!VARIANT.matcher(name).matches()) {
                    violations.add(new Violation(field, "a variant's name must be 1-64 of letters, digits and . _ -"));
                } else if (!ofType(type, value, field, violations)) {
                    return;
                } else {
                    values.put(name, value instanceof Number number ? normalized(number) : value);
                }
            });
        }
        if (typed.defaultVariant() == null) {
            violations.add(new Violation("defaultVariant", "is required: the variant served when nothing decides"));
        } else if (!typed.variants().containsKey(typed.defaultVariant())) {
            violations.add(new Violation("defaultVariant", "must name one of the variants"));
        }
        List<Variants.Weight> split = split("split", typed.split(), typed.variants(), violations);
        if (violations.size() > before) {
            return null;
        }
        return new Variants(type, values, typed.defaultVariant(), split);
    }

    /** Whether the draft names a type other than boolean. */
    static boolean declaresType(FlagDraft draft) {
        return draft.typed() != null && draft.typed().type() != null && !"boolean".equals(draft.typed().type());
    }

    /** The other fields of a typed flag: what only on and off can say is refused rather than ignored. */
    static void booleanOnly(FlagDraft draft, List<Violation> violations) {
        if (draft.rolloutPercentage() != null) {
            violations.add(new Violation("rolloutPercentage", "is for boolean flags: split a typed flag instead"));
        }
        if (draft.environmentDefaults() != null && !draft.environmentDefaults().isEmpty()) {
            violations.add(new Violation("environmentDefaults", "is for boolean flags"));
        }
        if (Boolean.TRUE.equals(draft.defaultValue())) {
            violations.add(new Violation("defaultValue", "is for boolean flags: name a defaultVariant instead"));
        }
    }

    /** Each rule of a typed flag serves a variant or splits; a boolean flag's rules do neither. */
    static List<Rule> rules(List<Rule> parsed, List<FlagDraft.WrittenRule> written, Variants variants,
            List<Violation> violations) {
        if (written == null || parsed.size() != written.size()) {
            return parsed; // a rule refused by its own checks is reported already
        }
        List<Rule> served = new ArrayList<>(parsed.size());
        for (int i = 0; i < written.size(); i++) {
            FlagDraft.WrittenRule rule = written.get(i);
            Rule base = parsed.get(i);
            String field = "rules[" + i + "]";
            if (variants == null) {
                if (rule.variant() != null || rule.split() != null) {
                    violations.add(new Violation(field + ".variant", "is for typed flags: this flag is boolean"));
                }
                served.add(base);
                continue;
            }
            if ((rule.variant() == null) == (rule.split() == null)) {
                violations.add(new Violation(field + ".variant", "name the variant it serves, or a split (not both)"));
                continue;
            }
            if (rule.variant() != null && !variants.values().containsKey(rule.variant())) {
                violations.add(new Violation(field + ".variant", "must name one of the variants"));
                continue;
            }
            List<Variants.Weight> split = split(field + ".split", rule.split(), variants.values(), violations);
            served.add(base.serving(rule.variant(), split));
        }
        return served;
    }

    private static List<Variants.Weight> split(String field, List<FlagDraft.WrittenWeight> written,
            Map<String, ?> variants, List<Violation> violations) {
        if (written == null || written.isEmpty()) {
            return List.of();
        }
        List<Variants.Weight> weights = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        long total = 0;
        for (int i = 0; i < written.size(); i++) {
            FlagDraft.WrittenWeight weight = written.get(i);
            String at = field + "[" + i + "]";
            if (weight == null || !(weight.variant() instanceof String name)
                    || variants == null || !variants.containsKey(name)) {
                violations.add(new Violation(at + ".variant", "must name one of the variants"));
                continue;
            }
            if (!seen.add(name)) {
                violations.add(new Violation(at + ".variant", "names " + name + " twice"));
                continue;
            }
            if (!(weight.weight() instanceof Integer w) || w < 0 || w > MAX_WEIGHT) {
                violations.add(new Violation(at + ".weight", "must be a whole number from 0 to " + MAX_WEIGHT));
                continue;
            }
            total += w;
            weights.add(new Variants.Weight(name, w));
        }
        if (weights.size() == written.size() && total == 0) {
            violations.add(new Violation(field, "must give some variant a weight above 0"));
        }
        return weights;
    }

    private static boolean ofType(Variants.Type type, Object value, String field, List<Violation> violations) {
        switch (type) {
            case STRING -> {
                if (!(value instanceof String text)) {
                    violations.add(new Violation(field, "must be a string: this is a string flag"));
                    return false;
                }
                if (text.length() > MAX_STRING) {
                    violations.add(new Violation(field, "is longer than " + MAX_STRING + " characters"));
                    return false;
                }
            }
            case NUMBER -> {
                if (!(value instanceof Number number) || !Double.isFinite(number.doubleValue())) {
                    violations.add(new Violation(field, "must be a number: this is a number flag"));
                    return false;
                }
            }
            case OBJECT -> {
                if (!(value instanceof Map) && !(value instanceof List)) {
                    violations.add(new Violation(field, "must be a JSON object or list: this is an object flag"));
                    return false;
                }
                if (size(value) > MAX_OBJECT) {
                    violations.add(new Violation(field, "is larger than " + MAX_OBJECT / 1024 + " KiB"));
                    return false;
                }
            }
        }
        return true;
    }

    /** Whole numbers as longs and others as doubles, so a stored and a read value compare alike. */
    private static Number normalized(Number number) {
        double value = number.doubleValue();
        return value == Math.rint(value) && Math.abs(value) < 1e15
                ? (Number) Long.valueOf((long) value)
                : (Number) Double.valueOf(value);
    }

    /** A JSON value's rough size in characters, bounded early so a huge value is not walked whole. */
    private static long size(Object value) {
        if (value instanceof Map<?, ?> map) {
            long total = 2;
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                total += String.valueOf(entry.getKey()).length() + 4 + size(entry.getValue());
                if (total > MAX_OBJECT) {
                    return total;
                }
            }
            return total;
        }
        if (value instanceof List<?> list) {
            long total = 2;
            for (Object item : list) {
                total += 1 + size(item);
                if (total > MAX_OBJECT) {
                    return total;
                }
            }
            return total;
        }
        return value == null ? 4 : String.valueOf(value).length() + 2;
    }
}
