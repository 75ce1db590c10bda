package io.rollgate.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class KeptBoundTest {

    private static final long CONFIGURED = 16L << 20;
    private static final long FLOOR = CONFIGURED / KeptBound.FLOOR;

    private final AtomicBoolean full = new AtomicBoolean(true);
    private final List<Long> resized = new ArrayList<>();
    private final KeptBound bound = new KeptBound(CONFIGURED, full::get, resized::add);

    /** One window of lookups, {@code kept} in every {@code outOf} of them finding their answer. */
    private void window(int kept, int outOf) {
        for (int i = 0; i < KeptBound.WINDOW; i++) {
            bound.looked(i % outOf < kept);
        }
    }

    /** A window at a spread of customers where the whole configured bound serves one page load in {@code outOf}. */
    private void evenSpread(int outOf) {
        window(1, (int) (outOf * CONFIGURED / bound.current()));
    }

    @Test
    void itStartsAtItsFloor() {
        assertEquals(FLOOR, bound.current());
        assertEquals(List.of(FLOOR), resized);
    }

    @Test
    void keptAnswersServingMostPageLoadsGrowItToTheWholeBoundAndKeepIt() {
        // few customers, asked for again and again: half the page loads find their answer at any bound
        for (int i = 0; i < 20; i++) {
            window(1, 2);
        }
        assertEquals(CONFIGURED, bound.current());
        assertEquals(List.of(FLOOR, 2 * FLOOR, 4 * FLOOR, 8 * FLOOR, CONFIGURED), resized);
    }

    @Test
    void withFarMoreCustomersThanFitItStaysAtItsFloor() {
        // a million customers asked for evenly: the whole bound would serve a fiftieth of page loads
        for (int i = 0; i < 10; i++) {
            evenSpread(50);
        }
        assertEquals(List.of(FLOOR), resized);
    }

    @Test
    void aBoundWithRoomLeftDoesNotGrowHoweverWellItServes() {
        full.set(false); // every customer asked for fits
        for (int i = 0; i < 5; i++) {
            window(99, 100);
        }
        assertEquals(FLOOR, bound.current());
    }

    @Test
    void whenPageLoadsSpreadOverMoreCustomersItShrinksBackAndNotWhileItHasRoom() {
        for (int i = 0; i < 4; i++) {
            evenSpread(2);
        }
        assertEquals(CONFIGURED, bound.current());
        full.set(false); // a change dropped most answers: few hits say nothing yet
        evenSpread(100);
        assertEquals(CONFIGURED, bound.current());
        full.set(true);
        for (int i = 0; i < 4; i++) {
            evenSpread(100);
        }
        assertEquals(List.of(FLOOR, 2 * FLOOR, 4 * FLOOR, 8 * FLOOR, CONFIGURED, 8 * FLOOR, 4 * FLOOR, 2 * FLOOR,
                FLOOR), resized);
    }

    @Test
    void betweenTheTwoThresholdsTheBoundStays() {
        evenSpread(4);
        assertEquals(2 * FLOOR, bound.current());
        // the whole bound would serve 14 %: enough to keep what is held, not enough to grow
        for (int i = 0; i < 5; i++) {
            evenSpread(7);
        }
        assertEquals(2 * FLOOR, bound.current());
    }
}
