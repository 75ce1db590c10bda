package io.rollgate.engine;

import static io.rollgate.engine.TestFlags.ENHANCED_STORAGE;
import static io.rollgate.engine.TestFlags.PARENT_STORAGE;
import static io.rollgate.engine.TestFlags.PERFORMANCE_MODE;
import static io.rollgate.engine.TestFlags.RETRY_LOGIC;
import static io.rollgate.engine.TestFlags.TAB_SYNC;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EvaluatorTest {

    private final Evaluator evaluator = new Evaluator();
    private final Catalog catalog = TestFlags.widgetCatalog();

    private Evaluation evaluate(Catalog catalog, String environment, Map<String, Boolean> customer,
            Map<String, Boolean> organization) {
        return evaluator.evaluateAll(catalog, EvaluationContext.of("customer-123", "org-456", environment),
                OverrideDocument.of(customer), OverrideDocument.of(organization));
    }

    @Test
    void customerOverrideBeatsOrganizationOverrideBeatsEnvironment() {
        // the priority example: customer says true, organization says false, production says false
        Evaluation evaluation = evaluate(catalog, "production",
                Map.of(ENHANCED_STORAGE, true), Map.of(ENHANCED_STORAGE, false, RETRY_LOGIC, true));
        assertResult(evaluation, ENHANCED_STORAGE, true, Source.CUSTOMER_OVERRIDE);
        assertResult(evaluation, RETRY_LOGIC, true, Source.ORGANIZATION_OVERRIDE);
        assertResult(evaluation, PARENT_STORAGE, true, Source.ENVIRONMENT);
        assertEquals(Source.CUSTOMER_OVERRIDE, evaluation.source());
    }

    @Test
    void organizationOverrideAppliesWhenTheCustomerHasNone() {
        Evaluation evaluation = evaluate(catalog, "production", Map.of(), Map.of(ENHANCED_STORAGE, true));
        assertResult(evaluation, ENHANCED_STORAGE, true, Source.ORGANIZATION_OVERRIDE);
        assertEquals(Source.ORGANIZATION_OVERRIDE, evaluation.source());
    }

    @Test
    void environmentDefaultsFollowSeed000() {
        assertResult(evaluate(catalog, "production", Map.of(), Map.of()), ENHANCED_STORAGE, false, Source.ENVIRONMENT);
        assertResult(evaluate(catalog, "staging", Map.of(), Map.of()), ENHANCED_STORAGE, true, Source.ENVIRONMENT);
        assertResult(evaluate(catalog, "staging", Map.of(), Map.of()), PERFORMANCE_MODE, false, Source.ENVIRONMENT);
        assertResult(evaluate(catalog, "development", Map.of(), Map.of()), TAB_SYNC, true, Source.ENVIRONMENT);
    }

    @Test
    void systemDefaultWhenTheEnvironmentIsUnknown() {
        Evaluation evaluation = evaluate(catalog, "qa", Map.of(), Map.of());
        assertResult(evaluation, PARENT_STORAGE, true, Source.DEFAULT);
        assertResult(evaluation, ENHANCED_STORAGE, false, Source.DEFAULT);
        assertEquals(Source.DEFAULT, evaluation.source());
    }

    @Test
    void killSwitchBeatsEveryOverride() {
        Evaluation evaluation = evaluate(TestFlags.kill(catalog, ENHANCED_STORAGE), "development",
                Map.of(ENHANCED_STORAGE, true), Map.of(ENHANCED_STORAGE, true));
        assertResult(evaluation, ENHANCED_STORAGE, false, Source.DISABLED);
    }

    @Test
    void phase3NeedsPhase2EvenWhenOverriddenOn() {
        Evaluation evaluation = evaluate(catalog, "production", Map.of(PERFORMANCE_MODE, true), Map.of());
        assertResult(evaluation, PERFORMANCE_MODE, false, Source.PREREQUISITE);
        Evaluation withPhase2 = evaluate(catalog, "production",
                Map.of(PERFORMANCE_MODE, true, ENHANCED_STORAGE, true), Map.of());
        assertResult(withPhase2, PERFORMANCE_MODE, true, Source.CUSTOMER_OVERRIDE);
    }

    @Test
    void tabSyncNeedsPerformanceMode() {
        Evaluation evaluation = evaluate(catalog, "production",
                Map.of(ENHANCED_STORAGE, true, TAB_SYNC, true), Map.of());
        assertResult(evaluation, TAB_SYNC, false, Source.PREREQUISITE);
        Evaluation both = evaluate(catalog, "production",
                Map.of(ENHANCED_STORAGE, true, TAB_SYNC, true, PERFORMANCE_MODE, true), Map.of());
        assertResult(both, TAB_SYNC, true, Source.CUSTOMER_OVERRIDE);
    }

    @Test
    void killingAPrerequisiteTurnsItsDependentsOff() {
        Evaluation evaluation = evaluate(TestFlags.kill(catalog, PARENT_STORAGE), "development", Map.of(), Map.of());
        assertResult(evaluation, PARENT_STORAGE, false, Source.DISABLED);
        assertResult(evaluation, ENHANCED_STORAGE, false, Source.PREREQUISITE);
        assertResult(evaluation, TAB_SYNC, false, Source.PREREQUISITE);
    }

    @Test
    void prerequisiteCyclesAndMissingPrerequisitesEvaluateFalse() {
        Catalog cyclic = new Catalog(List.of(
                TestFlags.flag("a", null, "g", true, true, true, true, "b"),
                TestFlags.flag("b", null, "g", true, true, true, true, "a"),
                TestFlags.flag("c", null, "g", true, true, true, true, "missing")), Instant.EPOCH);
        Evaluation evaluation = evaluate(cyclic, "production", Map.of(), Map.of());
        assertFalse(evaluation.result("a").value());
        assertFalse(evaluation.result("b").value());
        assertResult(evaluation, "c", false, Source.PREREQUISITE);

        // and the explanation says why: the flag waits on itself, or on a flag that is not there
        Catalog selfish = new Catalog(List.of(TestFlags.flag("s", null, "g", true, true, true, true, "s")),
                Instant.EPOCH);
        EvaluationContext context = EvaluationContext.of("customer-123", "org-456", "production");
        assertTrue(evaluator.explain(selfish, selfish.find("s").orElseThrow(), context, null, null).steps().stream()
                .anyMatch(step -> step.detail().contains("prerequisite s is off: it depends on this flag (a cycle)")));
        assertTrue(evaluator.explain(cyclic, cyclic.find("a").orElseThrow(), context, null, null).steps().stream()
                .anyMatch(step -> step.detail().contains("prerequisite b is off: decided by prerequisite")));
        assertTrue(evaluator.explain(cyclic, cyclic.find("c").orElseThrow(), context, null, null).steps().stream()
                .anyMatch(step -> step.detail().contains("prerequisite missing is off: no such flag")));
    }

    private static Catalog withRollout(Catalog catalog, Rollout rollout) {
        return new Catalog(List.copyOf(catalog.flags()), List.of(rollout), Instant.EPOCH);
    }

    private Evaluation evaluateFor(Catalog catalog, String customer, Map<String, Boolean> overrides) {
        return evaluator.evaluateAll(catalog, EvaluationContext.of(customer, null, "production"),
                OverrideDocument.of(overrides), OverrideDocument.EMPTY);
    }

    @Test
    void aRolledBackRolloutBeatsEveryOverride() {
        Catalog rolledBack = withRollout(catalog, new Rollout(RETRY_LOGIC, Tier.DISABLED, 0,
                RolloutStatus.ROLLED_BACK, java.util.Set.of("vip"), java.util.Set.of()));
        FlagResult result = evaluateFor(rolledBack, "vip", Map.of(RETRY_LOGIC, true)).result(RETRY_LOGIC);
        assertFalse(result.value());
        assertEquals(Source.DISABLED, result.source());
    }

    @Test
    void aStartedRolloutDecidesAfterTheOverrides() {
        Catalog internal = withRollout(catalog, new Rollout(RETRY_LOGIC, Tier.INTERNAL, 1, RolloutStatus.ACTIVE,
                java.util.Set.of("vip"), java.util.Set.of("opted-out")));
        assertResult(evaluateFor(internal, "vip", Map.of()), RETRY_LOGIC, true, Source.ROLLOUT);
        assertResult(evaluateFor(internal, "someone", Map.of()), RETRY_LOGIC, false, Source.ROLLOUT);
        assertResult(evaluateFor(internal, "someone", Map.of(RETRY_LOGIC, true)), RETRY_LOGIC, true,
                Source.CUSTOMER_OVERRIDE);
        Catalog full = withRollout(catalog, new Rollout(RETRY_LOGIC, Tier.FULL, 100, RolloutStatus.COMPLETED,
                java.util.Set.of(), java.util.Set.of("opted-out")));
        assertResult(evaluateFor(full, "someone", Map.of()), RETRY_LOGIC, true, Source.ROLLOUT);
        assertResult(evaluateFor(full, "opted-out", Map.of()), RETRY_LOGIC, false, Source.ROLLOUT);
    }

    @Test
    void aDraftRolloutLeavesTheDefaultsInCharge() {
        Catalog draft = withRollout(catalog, new Rollout(RETRY_LOGIC, Tier.DISABLED, 0, RolloutStatus.DRAFT,
                java.util.Set.of(), java.util.Set.of()));
        assertResult(evaluator.evaluateAll(draft, EvaluationContext.of("c", null, "staging"), OverrideDocument.EMPTY,
                OverrideDocument.EMPTY), RETRY_LOGIC, true, Source.ENVIRONMENT);
    }

    @Test
    void nestedValuesHaveTheWidgetShape() {
        Map<String, Object> nested = evaluate(catalog, "production", Map.of(), Map.of()).nestedValues();
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Object>> persistence = (Map<String, Map<String, Object>>) nested
                .get("sessionPersistence");
        assertEquals(Map.of("parentStorage", true), persistence.get("phase1"));
        assertEquals(false, persistence.get("phase2").get("enhancedStorage"));
    }

    @Test
    void aliasesFindTheSameFlag() {
        assertEquals(ENHANCED_STORAGE, catalog.find("phase2_enhanced_storage").orElseThrow().key());
        assertTrue(catalog.find("phase9_nothing").isEmpty());
    }

    private static void assertResult(Evaluation evaluation, String key, boolean value, Source source) {
        FlagResult result = evaluation.result(key);
        assertEquals(value, result.value(), key + " value");
        assertEquals(source, result.source(), key + " source");
    }
}
