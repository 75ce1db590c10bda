package io.rollgate.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.rollgate.engine.Catalog;
import io.rollgate.engine.Evaluation;
import io.rollgate.engine.EvaluationContext;
import io.rollgate.engine.Evaluator;
import io.rollgate.engine.FlagDefinition;
import io.rollgate.engine.OverrideDocument;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A widget answer written from the evaluation is, byte for byte, the nested maps it replaced: tags stay as they were. */
class AnswerBodyTest {

    private final ObjectMapper json = new ObjectMapper();

    private static FlagDefinition flag(String key, boolean value) {
        return new FlagDefinition(key, null, "", "group", true, value, Map.of("production", value), List.of(), 0);
    }

    /** The answer as it was made before: the nested values, the evaluation object moved to the end. */
    private String asMaps(Evaluation evaluation, Object info) throws Exception {
        Map<String, Object> body = evaluation.nestedValues();
        body.remove("evaluation");
        body.put("evaluation", info);
        return json.writeValueAsString(body);
    }

    private String written(Evaluation evaluation, Object info) throws Exception {
        return new String(json.writeValueAsBytes(new AnswerBody(evaluation, info)), StandardCharsets.UTF_8);
    }

    @Test
    void theAnswerIsTheNestedValuesWithTheEvaluationLast() throws Exception {
        // nested groups, keys interleaved between groups, a leaf where a later key needs an object and the reverse
        // (the engine keeps the first), and flags named like the evaluation object, at the top and deeper down
        Catalog catalog = new Catalog(List.of(
                flag("session.phase1.parent", true),
                flag("banner", false),
                flag("session.phase2.enhanced", false),
                flag("session.phase1.child", true),
                flag("leaf", true),
                flag("leaf.below", false),
                flag("deep.er", true),
                flag("deep", false),
                flag("evaluation", true),
                flag("nested.evaluation", false)), Instant.EPOCH);
        Evaluation evaluation = new Evaluator().evaluateAll(catalog,
                EvaluationContext.of("customer-1", "org-1", "production"), OverrideDocument.EMPTY, null);
        Map<String, Object> info = Map.of("source", "default"); // one member: Map.of has no order of its own

        String written = written(evaluation, info);
        assertEquals(asMaps(evaluation, info), written);
        assertEquals("{\"session\":{\"phase1\":{\"parent\":true,\"child\":true},\"phase2\":{\"enhanced\":false}},"
                + "\"banner\":false,\"leaf\":true,\"deep\":{\"er\":true},\"nested\":{\"evaluation\":false},"
                + "\"evaluation\":{\"source\":\"default\"}}", written);
    }

    @Test
    void anEmptyCatalogAnswersTheEvaluationAlone() throws Exception {
        Evaluation evaluation = new Evaluator().evaluateAll(Catalog.empty(),
                EvaluationContext.of("customer-1", null, "production"), null, null);
        assertEquals("{\"evaluation\":{}}", written(evaluation, Map.of()));
        assertEquals(asMaps(evaluation, Map.of()), written(evaluation, Map.of()));
    }
}
