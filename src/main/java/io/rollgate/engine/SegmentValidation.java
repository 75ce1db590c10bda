package io.rollgate.engine;

import io.rollgate.errors.InvalidInputException;
import io.rollgate.errors.Violation;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What makes a segment acceptable: a key flags can name it by, bounded lists of targeting keys (no key both
 * included and excluded), and rules a segment can hold. Every problem is reported with its field.
 */
public final class SegmentValidation {

    /** Most targeting keys one list of a segment holds; a larger audience is described by rules. */
    public static final int MAX_KEYS = 10_000;

    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    private SegmentValidation() {
    }

    /** A segment as written: every field may be missing or wrong. */
    public record SegmentDraft(String key, String description, List<String> included, List<String> excluded,
            List<FlagDraft.WrittenRule> rules) {
    }

    /** The segment a draft describes; {@code version} is the stored one's (0 for a new segment). */
    public static Segment segment(SegmentDraft draft, long version) {
        if (draft == null) {
            throw new InvalidInputException("body", "is required");
        }
        List<Violation> violations = new ArrayList<>();
        if (draft.key() == null || !KEY.matcher(draft.key()).matches()) {
            violations.add(new Violation("key", "must be 1-64 of letters, digits and . _ -, starting with a letter "
                    + "or digit"));
        }
        if (draft.description() != null && draft.description().length() > FlagValidation.MAX_DESCRIPTION) {
            violations.add(new Violation("description", "is longer than " + FlagValidation.MAX_DESCRIPTION
                    + " characters"));
        }
        Set<String> included = keys("included", draft.included(), Set.of(), violations);
        Set<String> excluded = keys("excluded", draft.excluded(), included, violations);
        List<Rule> rules = rules(draft.rules(), violations);
        if (!violations.isEmpty()) {
            throw new InvalidInputException(violations);
        }
        return new Segment(draft.key(), draft.description() == null ? "" : draft.description(), included, excluded,
                rules, version);
    }

    /** A stored segment, read leniently: a list entry or rule that is wrong is left out. */
    public static Segment stored(SegmentDraft draft, long version) {
        List<Violation> ignored = new ArrayList<>();
        return new Segment(draft.key(), draft.description() == null ? "" : draft.description(),
                keys("included", draft.included(), Set.of(), ignored),
                keys("excluded", draft.excluded(), Set.of(), ignored), rules(draft.rules(), ignored), version);
    }

    private static Set<String> keys(String field, List<String> written, Set<String> other,
            List<Violation> violations) {
        Set<String> keys = new LinkedHashSet<>();
        if (written == null) {
            return keys;
        }
        if (written.size() > MAX_KEYS) {
            violations.add(new Violation(field, "holds more than " + MAX_KEYS + " targeting keys"));
            return keys;
        }
        for (int i = 0; i < written.size(); i++) {
            String key = written.get(i);
            String problem = key == null ? "is null" : problem(key);
            if (problem == null && other.contains(key)) {
                problem = "is also included: a key is either in or out";
            }
            if (problem != null) {
                violations.add(new Violation(field + "[" + i + "]", problem));
            } else {
                keys.add(key);
            }
        }
        return keys;
    }

    /** A targeting key as evaluations accept them (see {@link Ids#targetingKey}), or what is wrong with it. */
    private static String problem(String key) {
        try {
            Ids.targetingKey("key", key);
            return null;
        } catch (InvalidInputException e) {
            return e.violations().get(0).reason();
        }
    }

    /**
     * A segment's rules: user, group, environment and attribute tests. A percentage buckets per flag, so it belongs
     * to the flag's rules; a segment naming segments would make membership depend on an order of evaluation.
     */
    private static List<Rule> rules(List<FlagDraft.WrittenRule> written, List<Violation> violations) {
        if (written == null) {
            return List.of();
        }
        List<FlagDraft.WrittenRule> kept = new ArrayList<>();
        Set<Integer> refused = new HashSet<>();
        for (int i = 0; i < written.size(); i++) {
            FlagDraft.WrittenRule rule = written.get(i);
            Rule.Type type = rule == null ? null : Rule.Type.fromWire(rule.type());
            if (type == Rule.Type.PERCENTAGE || type == Rule.Type.SEGMENT) {
                violations.add(new Violation("rules[" + i + "].type", "must be user, group, environment or "
                        + "attribute in a segment"));
                refused.add(i);
            } else if (rule != null && (rule.variant() != null || rule.split() != null)) {
                violations.add(new Violation("rules[" + i + "]", "serves no variant in a segment: the flag's rule "
                        + "naming the segment does"));
                refused.add(i);
            }
            kept.add(refused.contains(i) ? null : rule);
        }
        List<Violation> found = new ArrayList<>();
        List<Rule> rules = FlagValidation.rules(kept, found);
        // a refused rule was already reported by its own field; the parser would only call it null
        found.stream().filter(violation -> !refused.contains(index(violation.field()))).forEach(violations::add);
        return rules;
    }

    private static int index(String field) {
        int open = field.indexOf('[');
        int close = field.indexOf(']');
        return open < 0 || close < open ? -1 : Integer.parseInt(field.substring(open + 1, close));
    }
}
