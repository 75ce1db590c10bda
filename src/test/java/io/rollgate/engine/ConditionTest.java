package io.rollgate.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rollgate.errors.InvalidInputException;
import io.rollgate.errors.Violation;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every operator of an attribute rule, against values that match, values that do not, and values it cannot read. */
class ConditionTest {

    @ParameterizedTest(name = "{1} {0} {2} -> {3}")
    @CsvSource(delimiter = '|', value = {
            "equals      | pro              | pro                  | true",
            "equals      | free             | pro                  | false",
            "in          | pro              | free;pro;enterprise  | true",
            "in          | trial            | free;pro             | false",
            "not_in      | trial            | free;pro             | true",
            "not_in      | pro              | free;pro             | false",
            "starts_with | user@acme.com    | admin;user           | true",
            "starts_with | guest            | admin;user           | false",
            "ends_with   | user@acme.com    | @acme.com;@acme.org  | true",
            "ends_with   | user@other.com   | @acme.com            | false",
            "contains    | enterprise-eu    | -eu                  | true",
            "contains    | enterprise-us    | -eu                  | false",
            "matches     | build-1234       | ^build-\\d+$         | true",
            "matches     | build-x          | ^build-\\d+$         | false",
            "lt          | 9                | 10                   | true",
            "lt          | 10               | 10                   | false",
            "lte         | 10               | 10                   | true",
            "gt          | 10.5             | 10                   | true",
            "gt          | 1e1              | 10                   | false",
            "gte         | 10               | 10.0                 | true",
            "gt          | many             | 10                   | false",
            "semver_eq   | 2.4.0            | 2.4.0                | true",
            "semver_lt   | 2.4.0-beta.2     | 2.4.0                | true",
            "semver_lt   | 2.4.0-beta.2     | 2.4.0-beta.10        | true",
            "semver_lt   | 2.4.0-alpha      | 2.4.0-1              | false",
            "semver_gt   | 2.10.0           | 2.9.9                | true",
            "semver_gt   | 2.4.0+build.7    | 2.4.0                | false",
            "semver_gt   | 2.4              | 2.3.0                | false",
            "before      | 2025-12-31       | 2026-01-01           | true",
            "before      | 2026-01-01T00:00:01Z | 2026-01-01       | false",
            "after       | 2026-01-01T02:00:00+01:00 | 2026-01-01  | true",
            "after       | yesterday        | 2026-01-01           | false" })
    void eachOperatorMatchesWhatItShould(String operator, String actual, String operands, boolean matches) {
        Condition condition = condition("attr", operator, Arrays.asList(operands.split(";", -1)));
        Condition.Verdict verdict = condition.test(context(Map.of("attr", actual)));
        assertEquals(matches, verdict.matched(), verdict.reason());
        assertTrue(verdict.reason().contains(actual) || verdict.reason().contains("attr"), verdict.reason());
    }

    @Test
    void aMissingAttributeMatchesNothingNotEvenNotIn() {
        Condition.Verdict verdict = condition("plan", "not_in", List.of("free")).test(context(Map.of()));
        assertEquals(false, verdict.matched());
        assertEquals("the context has no plan", verdict.reason());
    }

    @Test
    void aPatternThatWouldBacktrackForeverGivesUpWithoutAMatch() {
        Condition evil = condition("name", "matches", List.of("^(.*a){20}$"));
        // unbounded, this one reads for tens of seconds on thirty characters
        Condition.Verdict verdict = evil.test(context(Map.of("name", "a".repeat(30) + "!")));
        assertEquals(false, verdict.matched());
        assertTrue(verdict.reason().contains("took too long"), verdict.reason());
    }

    @ParameterizedTest(name = "{0} {1} is refused")
    @CsvSource(delimiter = '|', value = {
            "resembles | x", "lt | ten", "gt | 1;2", "semver_gt | 2.x", "before | next week", "matches | (unclosed" })
    void operandsTheOperatorCannotUseAreRefused(String operator, String operands) {
        List<Violation> problems = new ArrayList<>();
        assertNull(Condition.of("rules[0]", "attr", operator, Arrays.asList(operands.split(";", -1)), problems));
        assertEquals(1, problems.size(), problems.toString());
    }

    @Test
    void anAttributeRuleIsWrittenCheckedAndServedThroughAFlag() {
        Catalog catalog = TestFlags.widgetCatalog();
        FlagDefinition flag = FlagValidation.create(new FlagDraft("pro.only", null, null, null, null, null,
                List.of(new FlagDraft.WrittenRule("attribute", List.of("pro", "enterprise"), null, null, "plan",
                        "in"), new FlagDraft.WrittenRule("attribute", 3, null, null, "seats", "gte")),
                null, null), catalog);
        Catalog with = new Catalog(List.of(flag), java.time.Instant.EPOCH);
        Evaluator evaluator = new Evaluator();
        assertTrue(evaluator.evaluate(with, flag, context(Map.of("plan", "pro")), null, null).value());
        assertTrue(evaluator.evaluate(with, flag, context(Map.of("plan", "free", "seats", 5)), null, null).value());
        assertEquals(false, evaluator.evaluate(with, flag, context(Map.of("plan", "free")), null, null).value());
        Explanation why = evaluator.explain(with, flag, context(Map.of("seats", "two")), null, null);
        assertTrue(why.steps().stream().anyMatch(step -> step.detail().contains("the context has no plan")),
                why.steps().toString());
        assertTrue(why.steps().stream().anyMatch(step -> step.detail().contains("seats is two, not a number")),
                why.steps().toString());

        List<String> fields = org.junit.jupiter.api.Assertions.assertThrows(InvalidInputException.class,
                () -> FlagValidation.create(new FlagDraft("bad.rules", null, null, null, null, null,
                        List.of(new FlagDraft.WrittenRule("attribute", "x", null, null, null, "in"),
                                new FlagDraft.WrittenRule("attribute", "x", null, null, "plan", "like"),
                                new FlagDraft.WrittenRule("attribute", "soon", null, null, "at", "after")),
                        null, null), catalog))
                .violations().stream().map(Violation::field).toList();
        assertEquals(List.of("rules[0].attribute", "rules[1].operator", "rules[2].value"), fields);
    }

    private static Condition condition(String attribute, String operator, List<String> values) {
        List<Violation> problems = new ArrayList<>();
        Condition condition = Condition.of("rules[0]", attribute, operator, values, problems);
        assertNotNull(condition, problems.toString());
        return condition;
    }

    private static EvaluationContext context(Map<String, Object> attributes) {
        return EvaluationContext.fromAttributes(attributes, "production");
    }
}
