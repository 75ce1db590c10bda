package io.rollgate.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rollgate.errors.InvalidInputException;
import io.rollgate.errors.Violation;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** What a typed flag must be, type by type, and how the engine serves it step by step. */
class TypedFlagValidationTest {

    private final Catalog catalog = TestFlags.widgetCatalog();

    static Stream<Arguments> valuesOfEachType() {
        return Stream.of(
                Arguments.of("string", "blue", true),
                Arguments.of("string", 42, false),
                Arguments.of("string", Map.of("a", 1), false),
                Arguments.of("string", "x".repeat(10_001), false),
                Arguments.of("number", 42, true),
                Arguments.of("number", 2.5, true),
                Arguments.of("number", "42", false),
                Arguments.of("number", Double.NaN, false),
                Arguments.of("number", true, false),
                Arguments.of("object", Map.of("timeoutMs", 1500, "providers", List.of("a", "b")), true),
                Arguments.of("object", List.of("a", "b"), true),
                Arguments.of("object", "{}", false),
                Arguments.of("object", Map.of("blob", "x".repeat(40_000)), false),
                Arguments.of("color", "blue", false));
    }

    @ParameterizedTest
    @MethodSource("valuesOfEachType")
    void aVariantsValueMustBeOfTheFlagsType(String type, Object value, boolean accepted) {
        FlagDraft draft = typed(type, Map.of("only", value), "only", null, null);
        if (accepted) {
            FlagDefinition flag = FlagValidation.create(draft, catalog);
            assertEquals(type, flag.variants().type().wireName());
        } else {
            InvalidInputException refused = assertThrows(InvalidInputException.class,
                    () -> FlagValidation.create(draft, catalog));
            String field = refused.violations().get(0).field();
            assertTrue(field.equals("variants.only") || field.equals("type"), refused.violations().toString());
        }
    }

    @Test
    void everyProblemOfATypedFlagIsNamed() {
        Map<String, Object> variants = new LinkedHashMap<>();
        variants.put("blue", "#00f");
        variants.put("bad name!", "#0f0");
        FlagDraft draft = new FlagDraft("theme.color", null, null, null, true, 50, null, null,
                Map.of("production", true), new FlagDraft.Typed("string", variants, "red",
                        List.of(new FlagDraft.WrittenWeight("blue", -1), new FlagDraft.WrittenWeight("gray", 5))));
        assertEquals(List.of("variants.bad name!", "defaultVariant", "split[0].weight", "split[1].variant",
                "rolloutPercentage", "environmentDefaults", "defaultValue"), refused(draft));
    }

    @Test
    void eachRuleOfATypedFlagServesAKnownVariantOrSplits() {
        FlagDraft draft = new FlagDraft("theme.color", null, null, null, null, null,
                List.of(new FlagDraft.WrittenRule("group", "beta", "purple", null),
                        new FlagDraft.WrittenRule("user", "u1", "blue",
                                List.of(new FlagDraft.WrittenWeight("blue", 1))),
                        new FlagDraft.WrittenRule("user", "u2", null, null),
                        new FlagDraft.WrittenRule("user", "u3", null, List.of(new FlagDraft.WrittenWeight("blue", 0)))),
                null, null, new FlagDraft.Typed("string", Map.of("blue", "#00f"), "blue", null));
        assertEquals(List.of("rules[0].variant", "rules[1].variant", "rules[2].variant", "rules[3].split"),
                refused(draft));
    }

    private List<String> refused(FlagDraft draft) {
        return assertThrows(InvalidInputException.class, () -> FlagValidation.create(draft, catalog)).violations()
                .stream().map(Violation::field).toList();
    }

    @Test
    void aBooleanFlagCarriesNoVariants() {
        FlagDraft draft = new FlagDraft("plain.flag", null, null, null, null, null,
                List.of(new FlagDraft.WrittenRule("user", "u1", "on", null)), null, null,
                new FlagDraft.Typed("boolean", null, "on", null));
        List<String> fields = assertThrows(InvalidInputException.class, () -> FlagValidation.create(draft, catalog))
                .violations().stream().map(Violation::field).toList();
        assertEquals(List.of("type", "rules[0].variant"), fields);
    }

    @Test
    void aTypedFlagIsServedByRuleSplitOrDefaultAndExplainedStepByStep() {
        FlagDefinition flag = FlagValidation.create(new FlagDraft("theme.color", null, null, null, null, null,
                List.of(new FlagDraft.WrittenRule("group", "beta", "purple", null)), null, null,
                new FlagDraft.Typed("string", Map.of("blue", "#00f", "green", "#0f0", "purple", "#f0f"), "blue",
                        List.of(new FlagDraft.WrittenWeight("blue", 50), new FlagDraft.WrittenWeight("green", 50)))),
                catalog);
        Catalog withFlag = new Catalog(List.of(flag), java.time.Instant.EPOCH);
        Evaluator evaluator = new Evaluator();

        FlagResult beta = evaluator.evaluate(withFlag, flag, EvaluationContext.fromAttributes(
                Map.of("targetingKey", "customer-1", "groupId", "beta"), "production"), null, null);
        assertEquals("purple", beta.variantName());
        assertEquals("#f0f", beta.served());
        assertEquals(Source.RULE, beta.source());

        // customer-3 draws green in a 50/50 split under this key (VariantsTest pins the draws)
        FlagResult split = evaluator.evaluate(withFlag, flag, EvaluationContext.fromAttributes(
                Map.of("targetingKey", "customer-3"), "production"), null, null);
        assertEquals(Variants.pick("theme.color", "customer-3", flag.variants().split()).variant(),
                split.variantName());
        assertEquals(Source.PERCENTAGE, split.source());

        FlagResult anonymous = evaluator.evaluate(withFlag, flag, EvaluationContext.fromAttributes(Map.of(),
                "production"), null, null);
        assertEquals("blue", anonymous.variantName());
        assertTrue(anonymous.missingTargetingKey(EvaluationContext.fromAttributes(Map.of(), "production")));

        Explanation why = evaluator.explain(withFlag, flag, EvaluationContext.fromAttributes(
                Map.of("targetingKey", "customer-3"), "production"), null, null);
        List<String> steps = why.steps().stream().map(Explanation.Step::step).toList();
        assertEquals(List.of("kill switch", "prerequisites", "overrides", "rules", "split"), steps);
        assertTrue(why.steps().get(4).detail().startsWith("split blue 50 / green 50: variant "
                + split.variantName()), why.steps().get(4).detail());

        FlagDefinition killed = flag.withEnabled(false);
        FlagResult off = evaluator.evaluate(new Catalog(List.of(killed), java.time.Instant.EPOCH), killed,
                EvaluationContext.fromAttributes(Map.of("targetingKey", "customer-1", "groupId", "beta"),
                        "production"),
                null, null);
        assertEquals("blue", off.variantName());
        assertEquals(Source.DISABLED, off.source());
    }

    private static FlagDraft typed(String type, Map<String, Object> variants, String defaultVariant,
            List<FlagDraft.WrittenWeight> split, List<FlagDraft.WrittenRule> rules) {
        return new FlagDraft("typed.flag", null, null, null, null, null, rules, null, null,
                new FlagDraft.Typed(type, variants, defaultVariant, split));
    }
}
