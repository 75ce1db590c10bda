package io.rollgate.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Bucketing against the Unleash client-specification copy in the test resources, and its own properties. */
class BucketingTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A file of the Unleash client-specification copy in src/test/resources/conformance (source and licence there). */
    private static JsonNode spec(String file) throws IOException {
        try (InputStream in = BucketingTest.class.getResourceAsStream("/conformance/unleash-client-spec/" + file)) {
            if (in == null) {
                throw new IllegalStateException(
                        "conformance/unleash-client-spec/" + file + " is not on the test classpath");
            }
            return JSON.readTree(in);
        }
    }

    @Test
    void normalizedHashVectorsMatch() throws IOException {
        JsonNode vectors = spec("normalized-hash-vectors.json").get("strategyVectors");
        assertTrue(vectors.size() >= 10);
        for (JsonNode vector : vectors) {
            assertEquals(0, vector.get("seed").asInt());
            assertEquals(100, vector.get("normalizer").asInt());
            assertEquals(vector.get("expected").asInt(),
                    Bucketing.bucket(vector.get("groupId").asText(), vector.get("id").asText()),
                    vector.get("hashInput").asText());
        }
    }

    @Test
    void gradualRolloutUserIdCasesOfTheSpecAgree() throws IOException {
        List<String> checked = new ArrayList<>();
        for (String file : List.of("03-gradual-rollout-user-id-strategy.json", "10-flexible-rollout-strategy.json")) {
            JsonNode spec = spec(file);
            for (JsonNode test : spec.get("tests")) {
                JsonNode userId = test.get("context").get("userId");
                JsonNode strategy = strategyOf(spec, test.get("toggleName").asText());
                if (userId == null || strategy == null || spec.get("state").get("features").size() == 0) {
                    continue;
                }
                JsonNode parameters = strategy.get("parameters");
                String percentage = parameters.has("percentage")
                        ? parameters.get("percentage").asText()
                        : parameters.get("rollout").asText();
                boolean actual = Bucketing.inRollout(parameters.get("groupId").asText(), userId.asText(),
                        Integer.parseInt(percentage));
                assertEquals(test.get("expectedResult").asBoolean(), actual, file + ": " + test.get("description"));
                checked.add(test.get("description").asText());
            }
        }
        assertTrue(checked.size() >= 6, "expected the userId cases of files 03 and 10, checked " + checked);
    }

    /** The feature's single bucketing strategy with userId stickiness, or null for other strategies. */
    private static JsonNode strategyOf(JsonNode spec, String toggle) {
        for (JsonNode feature : spec.get("state").get("features")) {
            if (!feature.get("name").asText().equals(toggle) || feature.get("strategies").size() != 1) {
                continue;
            }
            JsonNode strategy = feature.get("strategies").get(0);
            String name = strategy.get("name").asText();
            String stickiness = strategy.path("parameters").path("stickiness").asText("default");
            if (name.equals("gradualRolloutUserId")
                    || (name.equals("flexibleRollout") && List.of("default", "userId").contains(stickiness))) {
                return strategy;
            }
        }
        return null;
    }

    @Test
    void bucketsAreDeterministicAndInRange() {
        for (int i = 0; i < 1000; i++) {
            int bucket = Bucketing.bucket("sessionPersistence.phase2.enhancedStorage", "customer-" + i);
            assertTrue(bucket >= 1 && bucket <= 100);
            assertEquals(bucket, Bucketing.bucket("sessionPersistence.phase2.enhancedStorage", "customer-" + i));
        }
    }

    @Test
    void raisingThePercentageOnlyAddsCustomers() {
        int[] steps = { 1, 10, 50, 100 };
        for (int i = 0; i < 10_000; i++) {
            String id = "customer-" + i;
            boolean before = false;
            for (int percentage : steps) {
                boolean now = Bucketing.inRollout("flag.key", id, percentage);
                assertFalse(before && !now, id + " left the rollout when it grew to " + percentage + "%");
                before = now;
            }
            assertTrue(before, "everyone is in at 100%");
            assertFalse(Bucketing.inRollout("flag.key", id, 0), "nobody is in at 0%");
        }
    }

    @Test
    void distributionIsWithinTwoPointsOfThePercentage() {
        for (int percentage : new int[]{ 10, 50 }) {
            int in = 0;
            for (int i = 0; i < 10_000; i++) {
                if (Bucketing.inRollout("sessionPersistence.phase2.enhancedStorage", "customer-" + i, percentage)) {
                    in++;
                }
            }
            double share = in / 100.0;
            assertTrue(Math.abs(share - percentage) <= 2.0, percentage + "% rollout enabled " + share + "%");
        }
    }
}
