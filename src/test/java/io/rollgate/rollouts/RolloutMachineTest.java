package io.rollgate.rollouts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rollgate.engine.RolloutStatus;
import io.rollgate.engine.Tier;
import io.rollgate.events.WindowStats;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class RolloutMachineTest {

    private static final Instant T0 = Instant.parse("2026-11-01T00:00:00Z");
    private static final WindowStats HEALTHY = new WindowStats(990, 10, 50, 0);

    private Clock at(Duration afterT0) {
        return Clock.fixed(T0.plus(afterT0), ZoneOffset.UTC);
    }

    private RolloutMachine machine(Duration afterT0) {
        // the service's defaults as shipped: what a rollout with only a rollback threshold takes the rest from
        return new RolloutMachine(at(afterT0), Duration.ofDays(2), new RolloutPolicy(0.02, 0.05, 0.10, 0.95, 0.98,
                0.5, List.of(100, 500, 1000, 1000), false, null, 1));
    }

    private RolloutRecord started() {
        return machine(Duration.ZERO).start(RolloutRecord.draft("flag.key", List.of("internal"), List.of(),
                RollbackThreshold.DEFAULT, null));
    }

    @Test
    void startEntersTheInternalTier() {
        RolloutRecord rollout = started();
        assertEquals(Tier.INTERNAL, rollout.tier());
        assertEquals(RolloutStatus.ACTIVE, rollout.status());
        assertEquals(T0, rollout.startedAt());
        assertEquals(T0, rollout.tierEnteredAt());
    }

    @Test
    void advanceGoesOneTierAtATimeOnceTheCriteriaHold() {
        RolloutRecord rollout = started();
        rollout = machine(Duration.ofDays(2)).advance(rollout, HEALTHY, false);
        assertEquals(Tier.EARLY_ADOPTERS, rollout.tier());
        assertEquals(10, rollout.percentage());
        rollout = machine(Duration.ofDays(4)).advance(rollout, HEALTHY, false);
        assertEquals(Tier.GENERAL, rollout.tier());
        assertEquals(50, rollout.percentage());
        rollout = machine(Duration.ofDays(6)).advance(rollout, HEALTHY, false);
        assertEquals(Tier.FULL, rollout.tier());
        assertEquals(RolloutStatus.COMPLETED, rollout.status());
        RolloutRecord full = rollout;
        assertThrows(RolloutRefusedException.class, () -> machine(Duration.ofDays(30)).advance(full, HEALTHY, true));
    }

    @Test
    void advanceIsRefusedWhileErrorRateAboveThreshold() {
        RolloutRefusedException refused = assertThrows(RolloutRefusedException.class,
                () -> machine(Duration.ofHours(49)).advance(started(), new WindowStats(900, 100, 0, 0), false));
        List<String> unmet = refused.unmet().stream().map(Criterion::name).toList();
        assertEquals(List.of("errorRate", "successRate"), unmet);
    }

    @Test
    void advanceIsRefusedBeforeTheMinimumTimeInTier() {
        RolloutRefusedException refused = assertThrows(RolloutRefusedException.class,
                () -> machine(Duration.ofHours(47)).advance(started(), HEALTHY, false));
        assertEquals(List.of("timeInTier"), refused.unmet().stream().map(Criterion::name).toList());
    }

    @Test
    void advanceIsRefusedWithoutEnoughSamples() {
        RolloutRefusedException refused = assertThrows(RolloutRefusedException.class,
                () -> machine(Duration.ofHours(49)).advance(started(), new WindowStats(5, 0, 0, 0), false));
        assertTrue(refused.unmet().stream().anyMatch(c -> c.name().equals("minSamples")));
    }

    @Test
    void aForcedAdvanceIgnoresTheCriteriaButNotThePause() {
        RolloutRecord forced = machine(Duration.ofMinutes(1)).advance(started(), WindowStats.NONE, true);
        assertEquals(Tier.EARLY_ADOPTERS, forced.tier());
        RolloutRecord paused = machine(Duration.ZERO).pause(forced);
        assertThrows(RolloutRefusedException.class, () -> machine(Duration.ofDays(9)).advance(paused, HEALTHY, true));
        assertEquals(RolloutStatus.ACTIVE, machine(Duration.ZERO).resume(paused).status());
    }

    @Test
    void rollbackTurnsEverythingOffAndRestartBeginsAtTierOne() {
        RolloutRecord advanced = machine(Duration.ofHours(49)).advance(started(), HEALTHY, false);
        RolloutRecord rolledBack = machine(Duration.ofHours(50)).rollback(advanced, "bug");
        assertEquals(Tier.DISABLED, rolledBack.tier());
        assertEquals(0, rolledBack.percentage());
        assertEquals(RolloutStatus.ROLLED_BACK, rolledBack.status());
        assertEquals("bug", rolledBack.rollbackReason());
        assertThrows(RolloutRefusedException.class, () -> machine(Duration.ZERO).advance(rolledBack, HEALTHY, true));
        RolloutRecord restarted = machine(Duration.ofHours(51)).restart(rolledBack);
        assertEquals(Tier.INTERNAL, restarted.tier());
        assertEquals(RolloutStatus.ACTIVE, restarted.status());
        assertEquals(T0.plus(Duration.ofHours(51)), restarted.tierEnteredAt());
    }

    @Test
    void automaticRollbackNeedsConsecutiveBreaches() {
        RolloutMachine machine = machine(Duration.ofHours(1));
        WindowStats bad = new WindowStats(900, 100, 0, 0);
        RolloutMachine.Check first = machine.check(started(), bad);
        assertEquals(RolloutMachine.Verdict.BREACH, first.verdict());
        assertEquals(1, first.rollout().breachCount());
        RolloutMachine.Check second = machine.check(first.rollout(), bad);
        assertEquals(RolloutMachine.Verdict.ROLLBACK, second.verdict());
        assertEquals(RolloutStatus.ROLLED_BACK, second.rollout().status());
        assertTrue(second.rollout().rollbackReason().contains("10.00%"), second.rollout().rollbackReason());
        assertTrue(second.rollout().rollbackReason().contains("1000 samples"), second.rollout().rollbackReason());
    }

    @Test
    void aSingleBreachFollowedByAHealthyCheckDoesNotRollBack() {
        RolloutMachine machine = machine(Duration.ofHours(1));
        RolloutMachine.Check breach = machine.check(started(), new WindowStats(900, 100, 0, 0));
        RolloutMachine.Check healthy = machine.check(breach.rollout(), HEALTHY);
        assertEquals(RolloutMachine.Verdict.HEALTHY, healthy.verdict());
        assertEquals(0, healthy.rollout().breachCount());
        assertEquals(RolloutMachine.Verdict.BREACH,
                machine.check(healthy.rollout(), new WindowStats(900, 100, 0, 0)).verdict());
    }

    @Test
    void tooFewSamplesOrNoDataIsInconclusive() {
        RolloutMachine machine = machine(Duration.ofHours(1));
        assertEquals(RolloutMachine.Verdict.INCONCLUSIVE,
                machine.check(started(), new WindowStats(10, 40, 0, 0)).verdict());
        assertEquals(RolloutMachine.Verdict.INCONCLUSIVE, machine.check(started(), WindowStats.NONE).verdict());
        RolloutRecord paused = machine.pause(started());
        assertEquals(RolloutMachine.Verdict.SKIPPED, machine.check(paused, new WindowStats(0, 1000, 0, 0)).verdict());
    }

    @Test
    void aCompletedRolloutIsStillWatched() {
        RolloutRecord full = started();
        for (int i = 0; i < 3; i++) {
            full = machine(Duration.ZERO).advance(full, WindowStats.NONE, true);
        }
        assertEquals(RolloutStatus.COMPLETED, full.status());
        assertEquals(RolloutMachine.Verdict.BREACH,
                machine(Duration.ZERO).check(full, new WindowStats(0, 1000, 0, 0)).verdict());
    }

    @Test
    void evidenceStartsAtTheLaterOfTheWindowAndTheTierEntry() {
        // default window: one hour
        RolloutRecord rollout = started();
        assertEquals(T0, rollout.evidenceSince(T0.plus(Duration.ofMinutes(10))), "entered 10 min ago: from the entry");
        assertEquals(T0.plus(Duration.ofHours(2)), rollout.evidenceSince(T0.plus(Duration.ofHours(3))),
                "entered 3 h ago: the last hour");
        RolloutRecord rolledBack = machine(Duration.ofMinutes(30)).rollback(rollout, "errors");
        RolloutRecord restarted = machine(Duration.ofMinutes(40)).restart(rolledBack);
        assertEquals(T0.plus(Duration.ofMinutes(40)), restarted.evidenceSince(T0.plus(Duration.ofMinutes(45))),
                "a restart is judged from the restart on, not on the errors that rolled it back");
        RolloutRecord advanced = machine(Duration.ofHours(50)).advance(restarted, HEALTHY, false);
        assertEquals(T0.plus(Duration.ofHours(50)),
                advanced.evidenceSince(T0.plus(Duration.ofHours(50).plusSeconds(1))),
                "each tier on its own evidence");
    }
}
