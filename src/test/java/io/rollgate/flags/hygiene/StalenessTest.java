package io.rollgate.flags.hygiene;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Staleness at given times: one value for everyone for a while, or unused for a while; never a permanent flag. */
class StalenessTest {

    private static final Instant T0 = Instant.parse("2026-11-01T00:00:00Z");
    private final Staleness staleness = new Staleness(Duration.ofDays(14), Duration.ofDays(30));

    private static Staleness.Facts flag(boolean permanent, boolean enabled, Instant lastEvaluated, Integer percentage,
            String rolloutStatus, String tier, Instant completed) {
        return new Staleness.Facts(permanent, enabled, T0, T0, lastEvaluated, percentage, false, rolloutStatus, tier,
                completed);
    }

    @Test
    void aKilledFlagIsStaleAfterTheStaleTimeAndAPermanentOneNever() {
        Staleness.Facts killed = flag(false, false, T0.plus(Duration.ofDays(20)), null, null, null, null);
        assertEquals(Optional.empty(), staleness.reason(killed, T0.plus(Duration.ofDays(13))));
        assertTrue(staleness.reason(killed, T0.plus(Duration.ofDays(14))).orElseThrow().startsWith("killed since"));
        Staleness.Facts kept = flag(true, false, null, null, null, null, null);
        assertEquals(Optional.empty(), staleness.reason(kept, T0.plus(Duration.ofDays(400))));
    }

    @Test
    void aFullRolloutOrAHundredPercentRampServesEveryoneTheSame() {
        Staleness.Facts full = flag(false, true, T0.plus(Duration.ofDays(40)), null, "completed", "tier_4_full",
                T0.plus(Duration.ofDays(10)));
        assertEquals(Optional.empty(), staleness.reason(full, T0.plus(Duration.ofDays(23))));
        assertTrue(staleness.reason(full, T0.plus(Duration.ofDays(24))).orElseThrow().startsWith("fully rolled out"));
        Staleness.Facts ramp = flag(false, true, T0.plus(Duration.ofDays(40)), 100, null, null, null);
        assertTrue(staleness.reason(ramp, T0.plus(Duration.ofDays(15))).orElseThrow().startsWith("on at 100 %"));
        Staleness.Facts partial = flag(false, true, T0.plus(Duration.ofDays(40)), 50, null, null, null);
        assertEquals(Optional.empty(), staleness.reason(partial, T0.plus(Duration.ofDays(15))));
    }

    @Test
    void aFlagNobodyEvaluatesIsStaleAfterTheUnusedTime() {
        Staleness.Facts used = flag(false, true, T0.plus(Duration.ofDays(5)), null, "active", "tier_2_early_adopters",
                null);
        assertEquals(Optional.empty(), staleness.reason(used, T0.plus(Duration.ofDays(34))));
        assertTrue(
                staleness.reason(used, T0.plus(Duration.ofDays(35))).orElseThrow().startsWith("not evaluated since"));
        Staleness.Facts never = flag(false, true, null, null, null, null, null);
        assertTrue(staleness.reason(never, T0.plus(Duration.ofDays(30))).orElseThrow().startsWith("never evaluated"));
    }
}
