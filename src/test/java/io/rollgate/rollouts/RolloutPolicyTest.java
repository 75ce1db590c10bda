package io.rollgate.rollouts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rollgate.engine.Tier;
import io.rollgate.errors.Violation;
import io.rollgate.events.WindowStats;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The decision matrix as the policy applies it, row by row and at the edges of its bands. */
class RolloutPolicyTest {

    private static final RolloutPolicy MATRIX = new RolloutPolicy(0.02, 0.05, 0.10, 0.95, 0.98, 0.5,
            List.of(10, 100, 250, 500), true, null, 1);
    private static final Instant MONDAY_NOON_UTC = Instant.parse("2026-11-30T12:00:00Z");

    /** {@code errors} per 1,000 success/error events, with a success rate that follows from them. */
    private static WindowStats stats(int samples, double errorRate) {
        long errors = Math.round(samples * errorRate);
        return new WindowStats(samples - errors, errors, samples, 0);
    }

    @ParameterizedTest(name = "{0} errors at tier {1} with criteria {2}: {3}")
    @CsvSource({
            // error rate, tier, criteria met, expected action
            "0.00, 2, true, ADVANCE",
            "0.01, 2, true, ADVANCE",
            "0.019, 2, true, ADVANCE",
            "0.02, 2, true, HOLD", // 2-5 %: investigate, then advance by hand
            "0.04, 2, true, HOLD",
            "0.049, 2, true, HOLD",
            "0.05, 2, true, PAUSE", // 5-10 %: pause, investigate, fix
            "0.07, 2, true, PAUSE",
            "0.10, 2, true, PAUSE", // the rollback threshold itself still pauses
            "0.101, 2, true, ROLLBACK", // above 10 %: roll back at once
            "0.15, 3, true, ROLLBACK",
            "0.01, 2, false, HOLD", // healthy but not long enough in the tier
            "0.01, 4, true, HOLD", // nothing above the full tier
    })
    void theMatrixDecides(double errorRate, int tier, boolean criteriaMet, RolloutPolicy.Action expected) {
        assertEquals(expected, MATRIX.decide(Tier.of(tier), true, stats(1000, errorRate), criteriaMet,
                MONDAY_NOON_UTC).action());
    }

    @Test
    void tooFewSamplesAreInconclusiveAndHoldWhateverTheyShow() {
        RolloutPolicy.Decision decision = MATRIX.decide(Tier.EARLY_ADOPTERS, true, stats(99, 0.5), true,
                MONDAY_NOON_UTC);
        assertEquals(RolloutPolicy.Action.INCONCLUSIVE, decision.action());
        assertEquals("99 of 100 samples", decision.reason());
        assertEquals(RolloutPolicy.Action.INCONCLUSIVE, MATRIX.decide(Tier.INTERNAL, true,
                new WindowStats(0, 0, 0, 0), true, MONDAY_NOON_UTC).action(), "no data at all");
    }

    @Test
    void tierOneConcludesOnAHandfulOfInternalEvents() {
        assertEquals(RolloutPolicy.Action.ROLLBACK,
                MATRIX.decide(Tier.INTERNAL, true, stats(10, 0.2), false, MONDAY_NOON_UTC).action());
        assertEquals(RolloutPolicy.Action.INCONCLUSIVE,
                MATRIX.decide(Tier.EARLY_ADOPTERS, true, stats(10, 0.2), false, MONDAY_NOON_UTC).action());
    }

    @Test
    void theSuccessFloorPausesOnItsOwnWhereThePauseBandIsWider() {
        // a policy that tolerates up to 8 % errors still pauses when successes fall under 95 %
        RolloutPolicy tolerant = new RolloutPolicy(null, 0.08, null, null, null, null, null, null, null, null)
                .withDefaults(MATRIX);
        RolloutPolicy.Decision decision = tolerant.decide(Tier.EARLY_ADOPTERS, true, stats(1000, 0.06), true,
                MONDAY_NOON_UTC);
        assertEquals(RolloutPolicy.Action.PAUSE, decision.action());
        assertTrue(decision.reason().contains("success rate 94.00%"), decision.reason());
    }

    @Test
    void aPausedRolloutNeverAdvancesByItselfAndNorDoesOneNotOptedIn() {
        assertEquals(RolloutPolicy.Action.HOLD, MATRIX.decide(Tier.EARLY_ADOPTERS, false, stats(1000, 0.0), true,
                MONDAY_NOON_UTC).action());
        RolloutPolicy manual = new RolloutPolicy(null, null, null, null, null, null, null, false, null, null)
                .withDefaults(MATRIX);
        assertEquals(RolloutPolicy.Action.HOLD, manual.decide(Tier.EARLY_ADOPTERS, true, stats(1000, 0.0), true,
                MONDAY_NOON_UTC).action());
    }

    @Test
    void theAdvanceWindowKeepsNightsAndWeekendsStill() {
        RolloutPolicy office = new RolloutPolicy(null, null, null, null, null, null, null, null,
                new RolloutPolicy.AdvanceWindow(List.of("monday", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY"),
                        "09:00", "16:00", "Europe/Berlin"),
                null)
                .withDefaults(MATRIX);
        WindowStats healthy = stats(1000, 0.0);
        // Monday 12:00 UTC is 13:00 in Berlin
        assertEquals(RolloutPolicy.Action.ADVANCE,
                office.decide(Tier.EARLY_ADOPTERS, true, healthy, true, MONDAY_NOON_UTC).action());
        assertEquals(RolloutPolicy.Action.OUTSIDE_WINDOW, office.decide(Tier.EARLY_ADOPTERS, true, healthy, true,
                MONDAY_NOON_UTC.plus(Duration.ofHours(3))).action(), "16:00 in Berlin is past the window");
        assertEquals(RolloutPolicy.Action.OUTSIDE_WINDOW, office.decide(Tier.EARLY_ADOPTERS, true, healthy, true,
                MONDAY_NOON_UTC.minus(Duration.ofDays(2))).action(), "a Saturday");
    }

    @Test
    void strongSuccessShortensTheTimeInTier() {
        Duration base = Duration.ofDays(2);
        assertEquals(Duration.ofHours(24), MATRIX.minTimeInTier(base, new WindowStats(990, 10, 1000, 0),
                Tier.EARLY_ADOPTERS));
        assertEquals(base, MATRIX.minTimeInTier(base, new WindowStats(975, 25, 1000, 0), Tier.EARLY_ADOPTERS));
        assertEquals(base, MATRIX.minTimeInTier(base, new WindowStats(50, 0, 50, 0), Tier.EARLY_ADOPTERS),
                "too few samples to fast-track");
    }

    @Test
    void badPoliciesAreRefusedNamingTheField() {
        List<Violation> violations = new RolloutPolicy(0.2, 0.1, 1.5, null, null, 0.0, List.of(1, 2), null,
                new RolloutPolicy.AdvanceWindow(List.of("FUNDAY"), "16:00", "09:00", "Mars/Olympus"), 0)
                .violations("p");
        assertEquals(List.of("p.rollbackErrorRate", "p.fastTrackFactor", "p.advanceErrorRate", "p.minSamples",
                "p.advanceWindow.days[0]", "p.advanceWindow.to", "p.advanceWindow.zone", "p.rollbackAfter"),
                violations.stream().map(Violation::field).toList());
    }

    @Test
    void aRateNamedAloneKeepsTheBandsInOrderAroundIt() {
        RolloutPolicy strict = new RolloutPolicy(null, null, 0.02, null, null, null, null, null, null, null)
                .withDefaults(MATRIX);
        assertEquals(List.of(0.02, 0.02, 0.02), List.of(strict.advanceErrorRate(), strict.pauseErrorRate(),
                strict.rollbackErrorRate()));
        assertEquals(List.of(), strict.violations("p"));
        RolloutPolicy lenient = new RolloutPolicy(null, 0.2, null, null, null, null, null, null, null, null)
                .withDefaults(MATRIX);
        assertEquals(List.of(0.02, 0.2, 0.2), List.of(lenient.advanceErrorRate(), lenient.pauseErrorRate(),
                lenient.rollbackErrorRate()));
        // with no band left, a rate at the rollback rate neither pauses nor rolls back
        assertEquals(RolloutPolicy.Action.HOLD, strict.decide(Tier.EARLY_ADOPTERS, true, stats(1000, 0.02), false,
                MONDAY_NOON_UTC).action());
    }
}
