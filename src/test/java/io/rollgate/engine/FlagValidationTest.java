package io.rollgate.engine;

import static io.rollgate.engine.TestFlags.ENHANCED_STORAGE;
import static io.rollgate.engine.TestFlags.PARENT_STORAGE;
import static io.rollgate.engine.TestFlags.TAB_SYNC;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rollgate.errors.InvalidInputException;
import io.rollgate.errors.Violation;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the engine accepts as a flag definition, and how it names what it refuses. */
class FlagValidationTest {

    private final Catalog catalog = TestFlags.widgetCatalog();

    @Test
    void aNewFlagTakesItsDefaultsAndCanonicalPrerequisites() {
        FlagDefinition flag = FlagValidation.create(draft("checkout.newFlow", null,
                List.of("phase1_parent_storage", PARENT_STORAGE), List.of(rule("user", "customer-1"))), catalog);
        assertEquals("checkout.newFlow", flag.key());
        assertEquals("default", flag.group());
        assertTrue(flag.enabled(), "a new flag starts with its kill switch off");
        assertFalse(flag.defaultValue());
        assertEquals(List.of(PARENT_STORAGE), flag.prerequisites(), "an alias and its key name one prerequisite");
        assertEquals(Rule.Type.USER, flag.rules().get(0).type());
    }

    @Test
    void everyProblemIsReportedWithItsField() {
        Map<String, Boolean> environments = new HashMap<>();
        environments.put("bad name!", true);
        environments.put("staging", null);
        FlagDraft draft = new FlagDraft("new.flag", "x".repeat(1001), "bad group!", null, null, 101,
                List.of(rule("planet", "mars"), rule("percentage", "150"), rule("user", List.of())),
                List.of("no-such-flag"), environments);
        InvalidInputException refused = assertThrows(InvalidInputException.class,
                () -> FlagValidation.create(draft, catalog));
        List<String> fields = refused.violations().stream().map(Violation::field).toList();
        assertEquals(List.of("description", "group", "rolloutPercentage", "rules[0].type", "rules[1].value",
                "rules[2].value"), fields.subList(0, 6));
        assertTrue(fields.containsAll(List.of("environmentDefaults.bad name!", "environmentDefaults.staging",
                "prerequisites[0]")), fields.toString());
        assertEquals(9, fields.size(), fields.toString());
    }

    @Test
    void keysMustBeWellFormedUnusedAndNotNestIntoAnotherFlag() {
        assertEquals("must be 1-128 of letters, digits and . _ -, starting with a letter or digit, without empty "
                + "path segments", refusal(draft("a..b", null, null, null)).reason());
        assertEquals("is already a flag or a flag's rollout name",
                refusal(draft("phase2_enhanced_storage", null, null, null)).reason());
        assertEquals("clashes with the path of flag " + ENHANCED_STORAGE,
                refusal(draft(ENHANCED_STORAGE + ".child", null, null, null)).reason());
        assertEquals("clashes with the path of flag " + PARENT_STORAGE,
                refusal(draft("sessionPersistence.phase1", null, null, null)).reason(),
                "a key may not hold a flag under it either");
    }

    @Test
    void prerequisitesMayNotMakeACycle() {
        FlagDefinition parent = catalog.find(PARENT_STORAGE).orElseThrow();
        InvalidInputException cycle = assertThrows(InvalidInputException.class, () -> FlagValidation.update(
                draft(null, null, List.of(TAB_SYNC), null), catalog, parent));
        assertEquals("prerequisites[0]", cycle.violations().get(0).field());
        assertEquals("would make a cycle: " + TAB_SYNC + " already depends on " + PARENT_STORAGE,
                cycle.violations().get(0).reason());
        InvalidInputException itself = assertThrows(InvalidInputException.class, () -> FlagValidation.update(
                draft(null, null, List.of(PARENT_STORAGE), null), catalog, parent));
        assertEquals("a flag cannot require itself", itself.violations().get(0).reason());
    }

    @Test
    void anUpdateKeepsKeyAliasAndKillSwitchUnlessItNamesThem() {
        FlagDefinition killed = catalog.find(PARENT_STORAGE).orElseThrow().withEnabled(false);
        FlagDefinition after = FlagValidation.update(draft("phase1_parent_storage", "phase1", null, null), catalog,
                killed);
        assertEquals(PARENT_STORAGE, after.key());
        assertEquals("phase1_parent_storage", after.alias());
        assertFalse(after.enabled(), "a definition that does not name the kill switch leaves it thrown");
        InvalidInputException renamed = assertThrows(InvalidInputException.class,
                () -> FlagValidation.update(draft("other", null, null, null), catalog, killed));
        assertEquals("name", renamed.violations().get(0).field());
    }

    @Test
    void aDocumentsKeyIsCheckedAgainstTheCatalogTheDocumentMakes() {
        List<Violation> violations = new ArrayList<>();
        FlagValidation.documentKey(ENHANCED_STORAGE + ".inner", catalog, violations);
        assertEquals(1, violations.size());
        violations.clear();
        FlagValidation.documentKey("fresh.key", catalog, violations);
        assertTrue(violations.isEmpty());
        FlagDefinition existing = catalog.find(ENHANCED_STORAGE).orElseThrow();
        assertEquals(ENHANCED_STORAGE, FlagValidation.inDocument(draft(null, "phase2", null, null), catalog, existing)
                .key(), "a document's flag already in the target catalog is not refused as taken");
    }

    @Test
    void percentagesAreWholeNumbersFromZeroToAHundred() {
        FlagDefinition flag = catalog.find(PARENT_STORAGE).orElseThrow();
        assertEquals(40, FlagValidation.withPercentage(flag, 40).rolloutPercentage());
        for (Integer bad : new Integer[]{ null, -1, 101 }) {
            InvalidInputException refused = assertThrows(InvalidInputException.class,
                    () -> FlagValidation.withPercentage(flag, bad));
            assertEquals("rolloutPercentage", refused.violations().get(0).field());
        }
        assertEquals(List.of(Rule.percentage(25)),
                FlagValidation.rules(List.of(rule("percentage", "25")), new ArrayList<>()),
                "a percentage rule may be written as text");
    }

    @Test
    void ruleListsAreBounded() {
        List<FlagDraft.WrittenRule> many = new ArrayList<>();
        for (int i = 0; i <= FlagValidation.MAX_RULES; i++) {
            many.add(rule("user", "c-" + i));
        }
        List<Violation> violations = new ArrayList<>();
        assertTrue(FlagValidation.rules(many, violations).isEmpty());
        assertEquals("rules", violations.get(0).field());
        violations.clear();
        List<String> longValue = List.of("x".repeat(257));
        FlagValidation.rules(Arrays.asList(null, rule("group", longValue)), violations);
        assertEquals(List.of("rules[0]", "rules[1].value"), violations.stream().map(Violation::field).toList());
    }

    private Violation refusal(FlagDraft draft) {
        return assertThrows(InvalidInputException.class, () -> FlagValidation.create(draft, catalog)).violations()
                .get(0);
    }

    private static FlagDraft draft(String name, String group, List<String> prerequisites,
            List<FlagDraft.WrittenRule> rules) {
        return new FlagDraft(name, null, group, null, null, null, rules, prerequisites, null);
    }

    private static FlagDraft.WrittenRule rule(String type, Object value) {
        return new FlagDraft.WrittenRule(type, value);
    }
}
