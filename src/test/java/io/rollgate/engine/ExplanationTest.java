package io.rollgate.engine;

import static io.rollgate.engine.TestFlags.ENHANCED_STORAGE;
import static io.rollgate.engine.TestFlags.RETRY_LOGIC;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExplanationTest {

    private final Evaluator evaluator = new Evaluator();

    @Test
    void theExplanationEndsInTheStepThatDecidedWhatTheEvaluationAnswersForEveryFlagAndContext() {
        Catalog catalog = TestFlags.kill(TestFlags.widgetCatalog(), RETRY_LOGIC);
        List<OverrideDocument> documents = List.of(OverrideDocument.EMPTY, OverrideDocument.of(Map.of(ENHANCED_STORAGE,
                true)), OverrideDocument.of(Map.of(ENHANCED_STORAGE, false, RETRY_LOGIC, true)));
        for (String environment : List.of("production", "staging", "qa")) {
            for (String customer : new String[]{ null, "c-1", "c-2" }) {
                EvaluationContext context = EvaluationContext.of(customer, "org-1", environment);
                for (OverrideDocument mine : documents) {
                    for (OverrideDocument theirs : documents) {
                        Evaluation all = evaluator.evaluateAll(catalog, context, mine, theirs);
                        for (FlagDefinition flag : catalog.flags()) {
                            Explanation why = evaluator.explain(catalog, flag, context, mine, theirs);
                            FlagResult result = all.results().stream()
                                    .filter(r -> r.flag().key().equals(flag.key())).findFirst().orElseThrow();
                            assertEquals(result.value(), why.result().value(), flag.key());
                            assertEquals(result.source(), why.result().source(), flag.key());
                            // every step but the last passed on; the last decided
                            List<Explanation.Outcome> outcomes = why.steps().stream().map(Explanation.Step::outcome)
                                    .toList();
                            assertEquals(Explanation.Outcome.DECIDED, outcomes.get(outcomes.size() - 1));
                            assertEquals(1, outcomes.stream().filter(o -> o == Explanation.Outcome.DECIDED).count());
                        }
                    }
                }
            }
        }
    }

    @Test
    void aKilledFlagStopsAtTheKillSwitchWhateverTheOverridesSay() {
        Catalog catalog = TestFlags.kill(TestFlags.widgetCatalog(), ENHANCED_STORAGE);
        Explanation why = evaluator.explain(catalog, catalog.find(ENHANCED_STORAGE).orElseThrow(),
                EvaluationContext.of("c-1", null, "production"), OverrideDocument.of(Map.of(ENHANCED_STORAGE, true)),
                null);
        assertEquals(List.of(new Explanation.Step("kill switch", Explanation.Outcome.DECIDED,
                "the flag is switched off for everyone (kill switch), overrides included")), why.steps());
    }
}
