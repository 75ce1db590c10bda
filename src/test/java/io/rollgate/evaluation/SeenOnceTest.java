package io.rollgate.evaluation;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SeenOnceTest {

    @Test
    void aKeyAskedForAgainIsSeenWhileFewerOtherKeysCameBetweenThanItRemembers() {
        SeenOnce seen = new SeenOnce(1_000);
        assertFalse(seen.seenBefore("customer-1\norg-1"));
        assertTrue(seen.seenBefore("customer-1\norg-1"));
        int falselySeen = 0;
        for (int i = 0; i < 999; i++) {
            falselySeen += seen.seenBefore("customer-other-" + i + "\norg-1") ? 1 : 0;
        }
        assertTrue(seen.seenBefore("customer-1\norg-1"));
        // four bits a key, at most a quarter of them set: few keys share one
        assertTrue(falselySeen < 250, "keys taken for seen before: " + falselySeen);
    }

    @Test
    void itForgetsSoThatAWideSpreadOfKeysAskedForOnceIsNotTakenForSeen() {
        SeenOnce seen = new SeenOnce(1_000);
        for (int i = 0; i < 1_000; i++) {
            seen.seenBefore("customer-" + i);
        }
        for (int i = 0; i < 100_000; i++) {
            seen.seenBefore("customer-later-" + i);
        }
        int stillSeen = 0;
        for (int i = 0; i < 1_000; i++) {
            stillSeen += seen.seenBefore("customer-" + i) ? 1 : 0;
        }
        // without forgetting every bit would be set by now and every key taken for seen
        assertTrue(stillSeen < 500, "keys still taken for seen: " + stillSeen);
    }
}
