package io.rollgate.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AnswerTimeTest {

    private final ObjectMapper json = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    @Test
    void theTimeWrittenIntoAnAnswerIsWhatTheSerializerWouldHaveWritten() throws Exception {
        for (String moment : new String[]{ "2026-12-03T09:41:07Z", "2026-12-03T09:41:07.120Z",
                "2026-12-03T09:41:07.000450Z", "2026-12-03T09:41:08.123456789Z", "1999-01-01T00:00:00.5Z",
                "2026-12-03T09:41:07.999Z" }) {
            Instant at = Instant.parse(moment);
            EvaluationInfo info = new EvaluationInfo("environment", at, "production", "customer-1", "org-1", false);
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("sessionPersistence", Map.of("phase1", Map.of("enabled", true)));
            body.put("evaluation", info.withoutTime());
            byte[] untimed = json.writeValueAsBytes(body);

            JsonNode timed = json.readTree(AnswerTime.withEvaluatedAt(untimed, at));

            body.put("evaluation", info);
            assertEquals(json.readTree(json.writeValueAsBytes(body)), timed, moment);
            assertEquals(at.toString(), timed.path("evaluation").path("evaluatedAt").asText());
        }
    }

    @Test
    void anAnswerThatDoesNotEndWithItsEvaluationIsRefused() {
        byte[] evaluationFirst = "{\"evaluation\":{\"stale\":false},\"flag\":true}".getBytes(StandardCharsets.UTF_8);
        assertThrows(IllegalArgumentException.class, () -> AnswerTime.withEvaluatedAt(evaluationFirst, Instant.EPOCH));
    }
}
