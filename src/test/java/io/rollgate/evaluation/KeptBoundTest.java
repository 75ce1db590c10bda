package io.rollgate.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class KeptBoundTest {

    private static final long CONFIGURED = 16L << 20;

    private final AtomicBoolean full = new AtomicBoolean(true);
    private final List<Long> resized = new ArrayList<>();
    private final KeptBound bound = new KeptBound(CONFIGURED, full::get, resized::add);

    /** One window of lookups, {@code kept} in every {@code outOf} of them finding their answer. */
    private void window(int kept, int outOf) {
        for (int i = 0; i < KeptBound.WINDOW; i++) {
            bound.looked(i % outOf < kept);
        }
    }

    @Test
    void keptAnswersServingMostPageLoadsKeepTheWholeBound() {
        for (int i = 0; i < 20; i++) {
            window(9, 10);
        }
        assertEquals(CONFIGURED, bound.current());
        assertEquals(List.of(), resized);
    }

    @Test
    void withFarMoreCustomersThanFitTheBoundHalvesDownToItsFloor() {
        // a million customers asked for evenly: a fiftieth served at the whole bound, and proportionally less below
        for (int i = 0; i < 10; i++) {
            window(1, (int) (50 * CONFIGURED / bound.current()));
        }
        assertEquals(List.of(CONFIGURED / 2, CONFIGURED / 4, CONFIGURED / 8, CONFIGURED / 16), resized);
        assertEquals(CONFIGURED / KeptBound.FLOOR, bound.current());
    }

    @Test
    void aBoundWithRoomLeftIsNotShrunk() {
        full.set(false); // just started, or a change dropped the answers: few hits say nothing yet
        for (int i = 0; i < 5; i++) {
            window(1, 100);
        }
        assertEquals(CONFIGURED, bound.current());
    }

    @Test
    void pageLoadsGatheringOnFewerCustomersGrowItBack() {
        for (int i = 0; i < 4; i++) {
            window(1, 100);
        }
        assertEquals(CONFIGURED / 16, bound.current());
        // a sixteenth of the bound now serves a tenth of page loads: the whole would serve far more than it needs
        window(1, 10);
        assertEquals(CONFIGURED / 8, bound.current());
        window(1, 5);
        window(1, 3);
        window(1, 2);
        assertEquals(CONFIGURED, bound.current());
        assertEquals(List.of(CONFIGURED / 2, CONFIGURED / 4, CONFIGURED / 8, CONFIGURED / 16, CONFIGURED / 8,
                CONFIGURED / 4, CONFIGURED / 2, CONFIGURED), resized);
    }

    @Test
    void betweenTheTwoThresholdsTheBoundStays() {
        window(1, 100);
        assertEquals(CONFIGURED / 2, bound.current());
        // at half the bound, 7 % served: the whole would serve 14 %, enough to keep, not enough to grow
        window(7, 100);
        window(7, 100);
        assertEquals(CONFIGURED / 2, bound.current());
    }
}
