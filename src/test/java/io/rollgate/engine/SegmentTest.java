package io.rollgate.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rollgate.errors.InvalidInputException;
import io.rollgate.errors.Violation;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Who is in a segment, how a flag's segment rule decides and explains, and what a segment may hold. */
class SegmentTest {

    private static final Segment BETA = SegmentValidation.segment(new SegmentValidation.SegmentDraft("beta",
            "early customers", List.of("acme-1", "jane@example.com"), List.of("acme-9"),
            List.of(new FlagDraft.WrittenRule("attribute", List.of("pro", "enterprise"), null, null, "plan", "in"))),
            0);

    private static EvaluationContext context(String key, Map<String, String> attributes) {
        return new EvaluationContext(key, null, "production", attributes);
    }

    @Test
    void excludedBeatsEverythingListedIsInAndOthersAreInByARule() {
        assertTrue(BETA.contains(context("jane@example.com", Map.of())));
        assertTrue(BETA.contains(context("acme-2", Map.of("plan", "pro"))));
        assertFalse(BETA.contains(context("acme-2", Map.of("plan", "free"))));
        assertFalse(BETA.contains(context("acme-2", Map.of())));
        // excluded even though its plan matches the rule
        assertFalse(BETA.contains(context("acme-9", Map.of("plan", "enterprise"))));
        assertEquals("acme-9 is excluded from segment beta",
                BETA.membership(context("acme-9", Map.of("plan", "pro"))).reason());
        assertEquals("segment beta's rule 1 matched", BETA.membership(context("x", Map.of("plan", "pro"))).reason());
        assertEquals("x is not listed and none of segment beta's 1 rules matched",
                BETA.membership(context("x", Map.of())).reason());
    }

    @Test
    void aFlagsSegmentRuleTurnsItOnForTheSegmentAndSaysWhy() {
        FlagDefinition flag = new FlagDefinition("new-inbox", null, "", "default", true, false, Map.of(), List.of(),
                List.of(Rule.of(Rule.Type.SEGMENT, List.of("beta"))), null, 1, null);
        Catalog catalog = new Catalog(List.of(flag), List.of(), List.of(BETA), 1, Instant.EPOCH, Instant.EPOCH, 1);
        Evaluator evaluator = new Evaluator();
        assertTrue(evaluator.evaluate(catalog, flag, context("acme-1", Map.of()), null, null).value());
        assertFalse(evaluator.evaluate(catalog, flag, context("acme-2", Map.of()), null, null).value());

        Explanation in = evaluator.explain(catalog, flag, context("acme-1", Map.of()), null, null);
        assertEquals("rule 1 (segment: beta) matched (acme-1 is listed in segment beta)",
                in.steps().stream().filter(step -> step.step().equals("rules")).findFirst().orElseThrow().detail());
        Explanation out = evaluator.explain(catalog, flag, context("acme-9", Map.of()), null, null);
        assertEquals("rule 1 (segment: beta) did not match: acme-9 is excluded from segment beta",
                out.steps().stream().filter(step -> step.step().equals("rules")).findFirst().orElseThrow().detail());

        // a segment gone from the catalog (deleted by hand) holds no one, and the explanation says so
        Catalog without = new Catalog(List.of(flag), List.of(), List.of(), 1, Instant.EPOCH, Instant.EPOCH, 2);
        assertFalse(evaluator.evaluate(without, flag, context("acme-1", Map.of()), null, null).value());
        assertEquals("rule 1 (segment: beta) did not match: segment beta does not exist",
                evaluator.explain(without, flag, context("acme-1", Map.of()), null, null).steps().stream()
                        .filter(step -> step.step().equals("rules")).findFirst().orElseThrow().detail());
    }

    @Test
    void aFlagMayNameOnlySegmentsThatExist() {
        Catalog catalog = new Catalog(List.of(), List.of(), List.of(BETA), 1, Instant.EPOCH, Instant.EPOCH, 1);
        FlagDraft draft = new FlagDraft("f", null, null, null, null, null,
                List.of(new FlagDraft.WrittenRule("segment", List.of("beta", "gamma"))), null, null);
        InvalidInputException refused = assertThrows(InvalidInputException.class,
                () -> FlagValidation.create(draft, catalog));
        assertEquals(List.of(new Violation("rules[0].value", "names no segment: gamma")), refused.violations());
        FlagDraft known = new FlagDraft("f", null, null, null, null, null,
                List.of(new FlagDraft.WrittenRule("segment", "beta")), null, null);
        assertEquals(List.of("f"), new Catalog(List.of(FlagValidation.create(known, catalog)), List.of(),
                List.of(BETA), 1, Instant.EPOCH, Instant.EPOCH, 1).flagsTargeting("beta"));
    }

    @Test
    void everyProblemOfASegmentIsReportedWithItsField() {
        InvalidInputException refused = assertThrows(InvalidInputException.class,
                () -> SegmentValidation.segment(new SegmentValidation.SegmentDraft("-bad", null,
                        List.of("a", "bad\u0007key"), List.of("a"),
                        List.of(new FlagDraft.WrittenRule("percentage", 10),
                                new FlagDraft.WrittenRule("segment", "beta"),
                                new FlagDraft.WrittenRule("user", "u1", "on", null),
                                new FlagDraft.WrittenRule("attribute", "x", null, null, "plan", "is"))),
                        0));
        assertEquals(List.of(
                new Violation("key", "must be 1-64 of letters, digits and . _ -, starting with a letter or digit"),
                new Violation("included[1]", "must not hold control characters"),
                new Violation("excluded[0]", "is also included: a key is either in or out"),
                new Violation("rules[0].type", "must be user, group, environment or attribute in a segment"),
                new Violation("rules[1].type", "must be user, group, environment or attribute in a segment"),
                new Violation("rules[2]", "serves no variant in a segment: the flag's rule naming the segment does"),
                new Violation("rules[3].operator", "must be one of " + String.join(", ", Condition.wireNames()))),
                refused.violations());
    }
}
