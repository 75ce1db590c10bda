package io.rollgate.canary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class CanaryRoutingTest {

    private static final UUID DEPLOYMENT = UUID.fromString("6f1c1f7e-1f0a-4d53-9d3b-5b0b8a8c1e11");

    @Test
    void theSplitIsWithinTwoPointsOverTenThousandUsers() {
        for (int percentage : new int[]{ 10, 50 }) {
            int canary = 0;
            for (int i = 0; i < 10_000; i++) {
                if (CanaryRouting.sticky(DEPLOYMENT, "user-" + i, percentage)) {
                    canary++;
                }
            }
            assertTrue(Math.abs(canary / 100.0 - percentage) <= 2.0, percentage + "% routed " + canary / 100.0 + "%");
        }
    }

    @Test
    void aUserOnTheCanaryStaysThereAsThePercentageGrows() {
        for (int i = 0; i < 10_000; i++) {
            String user = "user-" + i;
            boolean at10 = CanaryRouting.sticky(DEPLOYMENT, user, 10);
            boolean at50 = CanaryRouting.sticky(DEPLOYMENT, user, 50);
            assertFalse(at10 && !at50, user);
            assertEquals(at10, CanaryRouting.sticky(DEPLOYMENT, user, 10), "sticky");
            assertTrue(CanaryRouting.sticky(DEPLOYMENT, user, 100));
        }
    }

    @Test
    void stagesAreValidated() {
        assertTrue(CanaryStage.validate(CanaryStage.DEFAULTS).isEmpty());
        List<String> fields = CanaryStage.validate(List.of(new CanaryStage(50, 10L, 0L, 0.1),
                new CanaryStage(20, -1L, -5L, 1.5), new CanaryStage(90, 0L, 0L, 0.1))).stream()
                .map(io.rollgate.errors.Violation::field).toList();
        assertEquals(List.of("stages[1].percentage", "stages[1].duration", "stages[1].minRequests",
                "stages[1].maxErrorRate", "stages[2].percentage"), fields);
    }

    @Test
    void theMachineAdvancesOnHealthyStagesAndRollsBackOnBreaches() {
        Instant t0 = Instant.parse("2026-11-01T00:00:00Z");
        CanaryDeployment deployment = new CanaryDeployment(DEPLOYMENT, "api", "v2", CanaryDeployment.Strategy.CANARY,
                CanaryStage.DEFAULTS, 0, 10, CanaryDeployment.Status.ACTIVE, t0, t0, null, null, 0);
        CanaryMachine early = machine(t0.plus(Duration.ofSeconds(10)));
        CanaryMachine later = machine(t0.plus(Duration.ofSeconds(301)));
        StageMetrics healthy = new StageMetrics(200, 2, 0.01, 40);
        assertEquals(CanaryMachine.Action.HOLD, early.check(deployment, healthy).action());
        assertEquals(CanaryMachine.Action.HOLD, later.check(deployment, new StageMetrics(50, 0, 0, 10)).action());
        assertEquals(CanaryMachine.Action.ADVANCE, later.check(deployment, healthy).action());
        CanaryMachine.Verdict breach = early.check(deployment, new StageMetrics(200, 20, 0.1, 40));
        assertEquals(CanaryMachine.Action.ROLLBACK, breach.action());
        assertTrue(breach.reason().contains("10.00%"), breach.reason());
        CanaryDeployment advanced = later.advance(deployment);
        assertEquals(50, advanced.percentage());
        CanaryDeployment paused = later.pause(advanced);
        assertEquals(CanaryMachine.Action.HOLD, later.check(paused, new StageMetrics(900, 900, 1, 1)).action());
    }

    /** A machine at a fixed time that watches a canary's last stage for 5 minutes and 100 requests. */
    private static CanaryMachine machine(Instant now) {
        return new CanaryMachine(Clock.fixed(now, ZoneOffset.UTC), Duration.ofMinutes(5), 100);
    }

    @Test
    void theLastStageCompletesOnlyAfterItsBakeTimeAndRequestsWithinItsThreshold() {
        Instant t0 = Instant.parse("2026-11-01T00:00:00Z");
        // the last stage: 100 %, no duration or request count of its own, 2 % errors tolerated
        CanaryDeployment last = new CanaryDeployment(DEPLOYMENT, "api", "v2", CanaryDeployment.Strategy.CANARY,
                CanaryStage.DEFAULTS, 2, 100, CanaryDeployment.Status.ACTIVE, t0, t0, null, null, 0);
        StageMetrics none = StageMetrics.NONE;
        StageMetrics healthy = new StageMetrics(150, 1, 1 / 150.0, 40);
        assertEquals(CanaryMachine.Action.HOLD, machine(t0.plusSeconds(400)).check(last, none).action());
        assertEquals(CanaryMachine.Action.HOLD, machine(t0.plusSeconds(60)).check(last, healthy).action());
        assertEquals(CanaryMachine.Action.COMPLETE, machine(t0.plusSeconds(300)).check(last, healthy).action());
        assertEquals(CanaryMachine.Action.ROLLBACK,
                machine(t0.plusSeconds(10)).check(last, new StageMetrics(100, 3, 0.03, 40)).action());
        // an instant deploy is not a staged canary: nothing to watch
        CanaryDeployment instant = new CanaryDeployment(DEPLOYMENT, "api", "v2", CanaryDeployment.Strategy.INSTANT,
                CanaryMachine.instantStages(), 0, 100, CanaryDeployment.Status.ACTIVE, t0, t0, null, null, 0);
        assertEquals(CanaryMachine.Action.COMPLETE, machine(t0).check(instant, none).action());
    }

    @Test
    void p95ComesFromTheHistogram() {
        long[] counts = new long[LatencyHistogram.BOUNDS.length];
        for (int i = 0; i < 100; i++) {
            counts[LatencyHistogram.bucket(i < 95 ? 40 : 900)]++;
        }
        double p95 = LatencyHistogram.quantile(counts, 0.95);
        assertTrue(p95 > 20 && p95 <= 50, "p95 " + p95);
        assertEquals(0, LatencyHistogram.quantile(new long[LatencyHistogram.BOUNDS.length], 0.95));
    }
}
