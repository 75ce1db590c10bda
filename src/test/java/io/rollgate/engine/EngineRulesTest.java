package io.rollgate.engine;

import static io.rollgate.engine.TestFlags.ENHANCED_STORAGE;
import static io.rollgate.engine.TestFlags.PARENT_STORAGE;
import static io.rollgate.engine.TestFlags.PERFORMANCE_MODE;
import static io.rollgate.engine.TestFlags.TAB_SYNC;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rollgate.errors.InvalidInputException;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The evaluation rules that live in the engine beside the evaluator: contexts, rollout decisions, the catalog's graph. */
class EngineRulesTest {

    @Test
    void aContextComesFromFreeFormAttributes() {
        Map<String, Object> attributes = new HashMap<>(Map.of("targetingKey", "customer-1", "organizationId", "org-1",
                "plan", "pro", "seats", 12, "beta", true, "nested", Map.of("ignored", "yes")));
        EvaluationContext context = EvaluationContext.fromAttributes(attributes, "production");
        assertEquals("customer-1", context.customerId());
        assertEquals("org-1", context.organizationId());
        assertEquals("production", context.environment());
        assertEquals("12", context.attributes().get("seats"));
        assertEquals("true", context.attributes().get("beta"));
        assertFalse(context.attributes().containsKey("nested"));
        assertEquals("c-2", EvaluationContext.fromAttributes(Map.of("customerId", "c-2", "targetingKey", "t"), "x")
                .customerId(), "customerId wins over targetingKey");
    }

    @Test
    void theServicesEnvironmentDecidesDefaultsWhileTheCallersFeedsRules() {
        EvaluationContext context = EvaluationContext.fromAttributes(Map.of("environment", "development"),
                "production");
        assertEquals("production", context.environment(), "defaults come from the service's environment");
        assertEquals("development", context.ruleEnvironment(), "environment rules see the caller's attribute");
        assertEquals("production", EvaluationContext.fromAttributes(Map.of(), "production").ruleEnvironment());
        Catalog catalog = TestFlags.widgetCatalog();
        FlagDefinition phase3 = catalog.find(TAB_SYNC).orElseThrow();
        assertFalse(new Evaluator().evaluate(catalog, phase3, context, null, null).value(),
                "an anonymous caller asking for development still gets production's phase 3 default");
    }

    @Test
    void badContextsAreRefusedNamingTheField() {
        InvalidInputException badId = assertThrows(InvalidInputException.class,
                () -> EvaluationContext.fromAttributes(Map.of("targetingKey", "tab\tinside"), "production"));
        assertEquals("context.targetingKey", badId.violations().get(0).field());
        assertThrows(InvalidInputException.class, () -> EvaluationContext.fromAttributes(Map.of("targetingKey",
                "x".repeat(257)), "production"));
        // an OpenFeature client's user key, whatever its characters, within the bound
        assertEquals("user@example.com", EvaluationContext.fromAttributes(Map.of("targetingKey", "user@example.com"),
                "production").customerId());
        Map<String, Object> many = new HashMap<>();
        for (int i = 0; i <= EvaluationContext.MAX_ATTRIBUTES; i++) {
            many.put("a" + i, i);
        }
        assertThrows(InvalidInputException.class, () -> EvaluationContext.fromAttributes(many, "production"));
        assertThrows(InvalidInputException.class,
                () -> EvaluationContext.fromAttributes(Map.of("plan", "x".repeat(257)), "production"));
    }

    @Test
    void aRolloutsDecisionAccountsForItsStatus() {
        Rollout active = new Rollout("flag.key", Tier.FULL, 100, RolloutStatus.ACTIVE, Set.of(), Set.of());
        assertEquals(new Rollout.Decision(true, "full_rollout", 0), active.decision("c"));
        Rollout rolledBack = new Rollout("flag.key", Tier.DISABLED, 0, RolloutStatus.ROLLED_BACK, Set.of("c"),
                Set.of());
        assertEquals(new Rollout.Decision(false, "rolled_back", 0), rolledBack.decision("c"));
        Rollout draft = new Rollout("flag.key", Tier.DISABLED, 0, RolloutStatus.DRAFT, Set.of("c"), Set.of());
        assertEquals(new Rollout.Decision(false, "not_started", 0), draft.decision("c"));
    }

    @Test
    void aRowWhoseTierAndPercentageDisagreeEnablesNobodyAndTheBlacklistWinsOverTheWhitelist() {
        Rollout inconsistent = new Rollout("flag.key", Tier.EARLY_ADOPTERS, 50, RolloutStatus.ACTIVE, Set.of("w"),
                Set.of());
        assertFalse(inconsistent.consistent());
        assertEquals("inconsistent_tier_and_percentage", inconsistent.decision("w").reason());
        Rollout both = new Rollout("flag.key", Tier.FULL, 100, RolloutStatus.ACTIVE, Set.of("x"), Set.of("x"));
        assertEquals(new Rollout.Decision(false, "blacklisted", 0), both.decision("x"));
    }

    @Test
    void prerequisiteReachabilityAndPathClashesAreReadFromTheCatalog() {
        Catalog catalog = TestFlags.widgetCatalog();
        assertTrue(catalog.dependsOn(TAB_SYNC, PARENT_STORAGE), "through enhancedStorage");
        assertTrue(catalog.dependsOn(PERFORMANCE_MODE, ENHANCED_STORAGE));
        assertFalse(catalog.dependsOn(PARENT_STORAGE, TAB_SYNC));
        assertFalse(catalog.dependsOn("no.such.flag", TAB_SYNC));
        assertEquals(Optional.of(ENHANCED_STORAGE), catalog.pathClash(ENHANCED_STORAGE + ".deeper"));
        assertEquals(Optional.of(PARENT_STORAGE), catalog.pathClash("sessionPersistence.phase1"));
        assertEquals(Optional.empty(), catalog.pathClash("sessionPersistence.phase4.newThing"));
    }

    @Test
    void aSplitFlagWithoutATargetingKeyIsReportedAsMissingIt() {
        FlagDefinition split = new FlagDefinition("ramp", null, "", "g", true, false, Map.of(), List.of(), List.of(),
                30, 0);
        Catalog catalog = new Catalog(List.of(split), Instant.EPOCH);
        Evaluator evaluator = new Evaluator();
        EvaluationContext anonymous = EvaluationContext.of(null, null, "production");
        FlagResult withoutKey = evaluator.evaluate(catalog, split, anonymous, null, null);
        assertTrue(withoutKey.missingTargetingKey(anonymous));
        EvaluationContext keyed = EvaluationContext.of("customer-1", null, "production");
        assertFalse(evaluator.evaluate(catalog, split, keyed, null, null).missingTargetingKey(keyed));
        FlagDefinition plain = TestFlags.widgetCatalog().find(PARENT_STORAGE).orElseThrow();
        assertFalse(evaluator.evaluate(TestFlags.widgetCatalog(), plain, anonymous, null, null)
                .missingTargetingKey(anonymous), "a flag that does not split never needs a key");
        assertNull(anonymous.targetingKey());
    }
}
