package io.rollgate.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Weighted splits: the same variant for a key everywhere, shares that follow the weights, and monotonic moves. */
class VariantsTest {

    private static final List<Variants.Weight> HALVES = List.of(new Variants.Weight("blue", 50),
            new Variants.Weight("green", 50));
    private static final List<Variants.Weight> THIRDS = List.of(new Variants.Weight("a", 10),
            new Variants.Weight("b", 45), new Variants.Weight("c", 45));

    // pinned: a change to the hash or the draw would move customers between variants on upgrade
    @ParameterizedTest
    @CsvSource({ "customer-1, blue, c", "customer-2, blue, a", "customer-3, green, b", "customer-4, blue, b",
            "user@example.com, blue, b", "urn:acme:42, blue, c" })
    void knownCustomersLandOnKnownVariants(String key, String halves, String thirds) {
        assertEquals(halves, Variants.pick("theme", key, HALVES).variant());
        assertEquals(thirds, Variants.pick("checkout", key, THIRDS).variant());
    }

    @Test
    void sharesFollowTheWeights() {
        Map<String, Integer> counts = new HashMap<>();
        int keys = 20_000;
        for (int i = 0; i < keys; i++) {
            counts.merge(Variants.pick("checkout", "customer-" + i, THIRDS).variant(), 1, Integer::sum);
        }
        assertEquals(0.10, counts.get("a") / (double) keys, 0.01, counts.toString());
        assertEquals(0.45, counts.get("b") / (double) keys, 0.015, counts.toString());
        assertEquals(0.45, counts.get("c") / (double) keys, 0.015, counts.toString());
    }

    @Test
    void raisingOneWeightOnlyMovesCustomersIntoIt() {
        List<Variants.Weight> raised = List.of(new Variants.Weight("a", 30), new Variants.Weight("b", 45),
                new Variants.Weight("c", 45));
        int moved = 0;
        for (int i = 0; i < 20_000; i++) {
            String key = "customer-" + i;
            String before = Variants.pick("checkout", key, THIRDS).variant();
            String after = Variants.pick("checkout", key, raised).variant();
            if (!before.equals(after)) {
                assertEquals("a", after, key + " moved from " + before + " to " + after);
                moved++;
            }
        }
        assertTrue(moved > 1_000, "raising a from 10 to 30 of 100-120 moved only " + moved + " customers");
    }

    @Test
    void aZeroWeightNeverServesAndTheDrawsAreExplained() {
        List<Variants.Weight> off = List.of(new Variants.Weight("blue", 0), new Variants.Weight("green", 1));
        for (int i = 0; i < 1_000; i++) {
            assertEquals("green", Variants.pick("theme", "customer-" + i, off).variant());
        }
        Variants.Pick pick = Variants.pick("theme", "customer-3", HALVES);
        assertEquals(2, pick.draws().size());
        assertTrue(pick.draws().get("green") < pick.draws().get("blue"), pick.draws().toString());
    }
}
