package io.rollgate.engine;

import io.rollgate.errors.Violation;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A rule's test of one context attribute: {@code plan in [pro, enterprise]}, {@code appVersion semver_gte 2.4.0},
 * {@code signupDate after 2026-01-01}. A context that lacks the attribute, or holds it in a form the operator cannot
 * compare (a word where a number is wanted), does not match, and {@link #test} says why.
 *
 * @param values the operator's operands as written (one for a comparison, any number for a list operator)
 */
public record Condition(String attribute, Operator operator, List<String> values) {

    /** The operators, by their wire names. */
    public enum Operator {
        EQUALS, IN, NOT_IN, STARTS_WITH, ENDS_WITH, CONTAINS, MATCHES, LT, LTE, GT, GTE, SEMVER_EQ, SEMVER_LT, SEMVER_GT, BEFORE, AFTER;

        private final String wireName = name().toLowerCase(Locale.ROOT);

        public String wireName() {
            return wireName;
        }

        public static Operator fromWire(String value) {
            for (Operator operator : values()) {
                if (operator.wireName.equals(value)) {
                    return operator;
                }
            }
            return null;
        }

        /** Whether it compares against exactly one operand. */
        boolean single() {
            return ordinalIn(LT, AFTER) || this == MATCHES;
        }

        private boolean ordinalIn(Operator from, Operator to) {
            return compareTo(from) >= 0 && compareTo(to) <= 0;
        }
    }

    /** How a context fared: whether it matched, and in words why (or why not). */
    public record Verdict(boolean matched, String reason) {
    }

    /** The longest pattern a matches rule may hold, and how many characters one test may read before giving up. */
    public static final int MAX_PATTERN = 256;
    static final int MATCH_BUDGET = 100_000;

    public Condition {
        values = List.copyOf(values);
    }

    /**
     * The condition as written, checked: what is wrong with it is added to {@code violations} under the rule's
     * {@code field} ({@code .operator} or {@code .value}) and null answered.
     */
    public static Condition of(String field, String attribute, String operator, List<String> values,
            List<Violation> violations) {
        Operator parsed = Operator.fromWire(operator);
        if (parsed == null) {
            violations.add(new Violation(field + ".operator", "must be one of " + String.join(", ", wireNames())));
            return null;
        }
        if (parsed.single() && values.size() != 1) {
            violations.add(new Violation(field + ".value", parsed.wireName() + " compares against exactly one value"));
            return null;
        }
        for (String value : values) {
            String problem = switch (parsed) {
                case LT, LTE, GT, GTE -> number(value) == null ? value + " is not a number" : null;
                case SEMVER_EQ, SEMVER_LT, SEMVER_GT -> SemVer.parse(value) == null
                        ? value + " is not a semantic version (1.2.3, 1.2.3-beta.1)"
                        : null;
                case BEFORE, AFTER -> instant(value) == null
                        ? value + " is not a date or time (2026-01-31, 2026-01-31T12:00:00Z)"
                        : null;
                case MATCHES -> pattern(value);
                default -> null;
            };
            if (problem != null) {
                violations.add(new Violation(field + ".value", problem));
                return null;
            }
        }
        return new Condition(attribute, parsed, values);
    }

    public Verdict test(EvaluationContext context) {
        String actual = context.attributes().get(attribute);
        if (actual == null) {
            return new Verdict(false, "the context has no " + attribute);
        }
        String operand = values.get(0);
        return switch (operator) {
            case EQUALS, IN -> verdict(values.contains(actual), actual, "in " + values);
            case NOT_IN -> verdict(!values.contains(actual), actual, "not in " + values);
            case STARTS_WITH -> verdict(values.stream().anyMatch(actual::startsWith), actual, "starts with " + values);
            case ENDS_WITH -> verdict(values.stream().anyMatch(actual::endsWith), actual, "ends with " + values);
            case CONTAINS -> verdict(values.stream().anyMatch(actual::contains), actual, "contains " + values);
            case MATCHES -> matches(actual, operand);
            case LT, LTE, GT, GTE -> {
                BigDecimal number = number(actual);
                yield number == null
                        ? new Verdict(false, attribute + " is " + actual + ", not a number")
                        : compared(number.compareTo(number(operand)), actual, operand);
            }
            case SEMVER_EQ, SEMVER_LT, SEMVER_GT -> {
                SemVer version = SemVer.parse(actual);
                yield version == null
                        ? new Verdict(false, attribute + " is " + actual + ", not a semantic version")
                        : compared(version.compareTo(SemVer.parse(operand)), actual, operand);
            }
            case BEFORE, AFTER -> {
                Instant time = instant(actual);
                yield time == null
                        ? new Verdict(false, attribute + " is " + actual + ", not a date or time")
                        : compared(time.compareTo(instant(operand)), actual, operand);
            }
        };
    }

    private Verdict verdict(boolean matched, String actual, String wanted) {
        return new Verdict(matched, attribute + " is " + actual + (matched ? ", " : ", not ") + wanted);
    }

    private Verdict compared(int order, String actual, String operand) {
        boolean matched = switch (operator) {
            case LT, SEMVER_LT, BEFORE -> order < 0;
            case LTE -> order <= 0;
            case GT, SEMVER_GT, AFTER -> order > 0;
            case GTE -> order >= 0;
            default -> order == 0;
        };
        return new Verdict(matched, attribute + " is " + actual + (matched ? ", " : ", not ")
                + operator.wireName().replace('_', ' ') + " " + operand);
    }

    private Verdict matches(String actual, String operand) {
        try {
            boolean matched = Pattern.compile(operand).matcher(new Budget(actual, MATCH_BUDGET)).find();
            return new Verdict(matched, attribute + " is " + actual + (matched ? ", " : ", not ") + "matching "
                    + operand);
        } catch (Budget.Spent e) {
            return new Verdict(false, "matching " + operand + " against " + attribute + " took too long: no match");
        }
    }

    private static String pattern(String value) {
        if (value.length() > MAX_PATTERN) {
            return "a pattern is at most " + MAX_PATTERN + " characters";
        }
        try {
            Pattern.compile(value);
            return null;
        } catch (java.util.regex.PatternSyntaxException e) {
            return value + " is not a regular expression: " + e.getDescription();
        }
    }

    static BigDecimal number(String text) {
        try {
            return text.length() > 64 ? null : new BigDecimal(text.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    static Instant instant(String text) {
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            try {
                return LocalDate.parse(text).atStartOfDay().toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException notADate) {
                return null;
            }
        }
    }

    static List<String> wireNames() {
        List<String> names = new ArrayList<>();
        for (Operator operator : Operator.values()) {
            names.add(operator.wireName());
        }
        return names;
    }

    /** A semantic version (2.0.0): precedence by major, minor, patch, then a pre-release ranks below its release. */
    record SemVer(long major, long minor, long patch, List<String> preRelease) implements Comparable<SemVer> {

        private static final Pattern FORM = Pattern.compile(
                "v?(0|[1-9]\\d{0,17})\\.(0|[1-9]\\d{0,17})\\.(0|[1-9]\\d{0,17})(?:-([0-9A-Za-z.-]+))?(?:\\+[0-9A-Za-z.-]+)?");

        static SemVer parse(String text) {
            java.util.regex.Matcher m = FORM.matcher(text.trim());
            if (!m.matches()) {
                return null;
            }
            List<String> pre = m.group(4) == null ? List.of() : List.of(m.group(4).split("\\.", -1));
            if (pre.stream().anyMatch(String::isEmpty)) {
                return null;
            }
            return new SemVer(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)), Long.parseLong(m.group(3)), pre);
        }

        @Override
        public int compareTo(SemVer other) {
            int order = Long.compare(major, other.major);
            order = order != 0 ? order : Long.compare(minor, other.minor);
            order = order != 0 ? order : Long.compare(patch, other.patch);
            if (order != 0 || preRelease.equals(other.preRelease)) {
                return order;
            }
            if (preRelease.isEmpty() || other.preRelease.isEmpty()) {
                return preRelease.isEmpty() ? 1 : -1;
            }
            for (int i = 0; i < Math.min(preRelease.size(), other.preRelease.size()); i++) {
                int part = part(preRelease.get(i), other.preRelease.get(i));
                if (part != 0) {
                    return part;
                }
            }
            return Integer.compare(preRelease.size(), other.preRelease.size());
        }

        private static final Set<Character> DIGITS = Set.of('0', '1', '2', '3', '4', '5', '6', '7', '8', '9');

        private static int part(String a, String b) {
            boolean numericA = a.chars().allMatch(c -> DIGITS.contains((char) c));
            boolean numericB = b.chars().allMatch(c -> DIGITS.contains((char) c));
            if (numericA && numericB) {
                return new BigDecimal(a).compareTo(new BigDecimal(b));
            }
            if (numericA != numericB) {
                return numericA ? -1 : 1;
            }
            return a.compareTo(b);
        }
    }

    /** The text a pattern reads, which stops it once it has read too much: no rule can hang an evaluation. */
    private static final class Budget implements CharSequence {

        static final class Spent extends RuntimeException {
            Spent() {
                super(null, null, false, false);
            }
        }

        private final CharSequence text;
        private final int[] left;

        Budget(CharSequence text, int budget) {
            this(text, new int[]{ budget });
        }

        private Budget(CharSequence text, int[] left) {
            this.text = text;
            this.left = left;
        }

        @Override
        public char charAt(int index) {
            if (--left[0] < 0) {
                throw new Spent();
            }
            return text.charAt(index);
        }

        @Override
        public int length() {
            return text.length();
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return new Budget(text.subSequence(start, end), left);
        }

        @Override
        public String toString() {
            return text.toString();
        }
    }
}
