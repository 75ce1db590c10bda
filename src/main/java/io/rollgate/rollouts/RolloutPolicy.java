package io.rollgate.rollouts;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.rollgate.engine.Tier;
import io.rollgate.errors.Violation;
import io.rollgate.events.WindowStats;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * How a rollout responds to its evidence by itself, the decision matrix as data: below
 * {@code advanceErrorRate} it may advance; up to {@code pauseErrorRate} an operator investigates (it holds);
 * from {@code pauseErrorRate} it pauses; above {@code rollbackErrorRate} it rolls back at once. A success
 * rate under {@code minSuccessRate} pauses; over {@code fastTrackSuccessRate} the minimum time in the tier
 * shrinks by {@code fastTrackFactor}. Nothing is concluded below the tier's minimum samples.
 */
@RegisterForReflection
public record RolloutPolicy(
        @Schema(description = "Automatic advancement only below this error rate (0.02)") Double advanceErrorRate,
        @Schema(description = "At or above this error rate the rollout pauses (0.05)") Double pauseErrorRate,
        @Schema(description = "Above this error rate it rolls back at the first check (0.10)") Double rollbackErrorRate,
        @Schema(description = "Below this success rate the rollout pauses (0.95)") Double minSuccessRate,
        @Schema(description = "Above this success rate the minimum time in tier shrinks (0.98)") Double fastTrackSuccessRate,
        @Schema(description = "What the minimum time in tier is multiplied by when fast-tracked (0.5)") Double fastTrackFactor,
        @Schema(description = "Minimum success/error events before any conclusion, for tiers 1 to 4") List<Integer> minSamples,
        @Schema(description = "Advance by itself when every criterion holds (false)") Boolean autoAdvance,
        @Schema(description = "When automatic advancement may happen; any time when absent") AdvanceWindow advanceWindow,
        @Schema(description = "Checks in a row above rollbackErrorRate before it rolls back (1: at the first)") Integer rollbackAfter) {

    /**
     * The policy of a rollout created the original way, with a rollback threshold and no policy: it rolls back when
     * the error rate exceeds the threshold's on its number of checks in a row, judged once its minimum samples are in
     * (in every tier), pauses only in the band the service's defaults leave below that rate, and is not fast-tracked.
     * What the threshold does not say (the success rate, advancing by itself) comes from {@code defaults}.
     */
    public static RolloutPolicy fromThreshold(RollbackThreshold threshold, RolloutPolicy defaults) {
        RollbackThreshold t = threshold.withDefaults();
        double pause = Math.min(defaults.pauseErrorRate, t.errorRate());
        // a threshold never shortened the time in a tier: no fast track (a factor of 1)
        return new RolloutPolicy(Math.min(defaults.advanceErrorRate, pause), pause, t.errorRate(),
                defaults.minSuccessRate, defaults.fastTrackSuccessRate, 1.0,
                List.of(t.minSamples(), t.minSamples(), t.minSamples(), t.minSamples()), defaults.autoAdvance, null,
                t.consecutiveBreaches());
    }

    /** How many checks in a row must be above the rollback rate. */
    public int rollbackChecks() {
        return rollbackAfter == null ? 1 : rollbackAfter;
    }

    /** When a rollout may widen by itself: days of the week and a time of day, in a time zone. */
    @RegisterForReflection
    public record AdvanceWindow(
            @Schema(description = "Days it may advance on, MONDAY to SUNDAY; every day when absent") List<String> days,
            @Schema(description = "From this time of day (HH:mm), inclusive", example = "09:00") String from,
            @Schema(description = "Until this time of day (HH:mm), exclusive", example = "16:00") String to,
            @Schema(description = "Time zone of the window", example = "Europe/Berlin") String zone) {

        private static final java.util.Set<String> DAY_NAMES = java.util.Arrays.stream(DayOfWeek.values())
                .map(DayOfWeek::name).collect(java.util.stream.Collectors.toUnmodifiableSet());

        boolean contains(Instant instant) {
            ZonedDateTime local = instant.atZone(ZoneId.of(zone));
            if (days != null && !days.isEmpty() && !days.contains(local.getDayOfWeek().name())) {
                return false;
            }
            LocalTime time = local.toLocalTime();
            return !time.isBefore(LocalTime.parse(from)) && time.isBefore(LocalTime.parse(to));
        }

        void validate(String prefix, List<Violation> violations) {
            if (days != null) {
                for (int i = 0; i < days.size(); i++) {
                    if (!DAY_NAMES.contains(String.valueOf(days.get(i)).toUpperCase(Locale.ROOT))) {
                        violations.add(new Violation(prefix + ".days[" + i + "]", "must be MONDAY to SUNDAY"));
                    }
                }
            }
            LocalTime start = time(prefix + ".from", from, violations);
            LocalTime end = time(prefix + ".to", to, violations);
            if (start != null && end != null && !start.isBefore(end)) {
                violations.add(new Violation(prefix + ".to", "must be after from"));
            }
            try {
                ZoneId.of(zone == null ? "" : zone);
            } catch (RuntimeException e) {
                violations.add(new Violation(prefix + ".zone", "must be a time zone such as Europe/Berlin or UTC"));
            }
        }

        AdvanceWindow normalized() {
            return new AdvanceWindow(days == null
                    ? null
                    : days.stream().map(day -> day.toUpperCase(Locale.ROOT)).toList(), from, to, zone);
        }

        private static LocalTime time(String field, String value, List<Violation> violations) {
            try {
                return LocalTime.parse(value == null ? "" : value);
            } catch (DateTimeParseException e) {
                violations.add(new Violation(field, "must be a time of day, HH:mm"));
                return null;
            }
        }
    }

    /** What one check concludes under the policy. */
    public enum Action {
        /** Too few samples: nothing is concluded, nothing moves. */
        INCONCLUSIVE,
        /** Healthy, but nothing to do (not opted in to advancing, criteria unmet, or the investigate band). */
        HOLD,
        /** Every criterion holds, but outside the advance window. */
        OUTSIDE_WINDOW, ADVANCE, PAUSE, ROLLBACK
    }

    public record Decision(Action action, String reason) {
    }

    /**
     * The policy with what it leaves out taken from {@code defaults}, the bands kept in order around what it names: a
     * rollback rate below the default pause rate lowers the pause and advance rates to it, a pause rate above the
     * default rollback rate raises that to it. Rates named together are taken as given (and validated).
     */
    public RolloutPolicy withDefaults(RolloutPolicy defaults) {
        Double rollback = rollbackErrorRate != null
                ? rollbackErrorRate
                : pauseErrorRate != null
                        ? Math.max(defaults.rollbackErrorRate, pauseErrorRate)
                        : defaults.rollbackErrorRate;
        Double pause = pauseErrorRate != null ? pauseErrorRate : Math.min(defaults.pauseErrorRate, rollback);
        Double advance = advanceErrorRate != null ? advanceErrorRate : Math.min(defaults.advanceErrorRate, pause);
        return new RolloutPolicy(advance, pause, rollback,
                minSuccessRate != null ? minSuccessRate : defaults.minSuccessRate,
                fastTrackSuccessRate != null ? fastTrackSuccessRate : defaults.fastTrackSuccessRate,
                fastTrackFactor != null ? fastTrackFactor : defaults.fastTrackFactor,
                minSamples != null ? List.copyOf(minSamples) : defaults.minSamples,
                autoAdvance != null ? autoAdvance : defaults.autoAdvance,
                advanceWindow != null ? advanceWindow.normalized() : defaults.advanceWindow,
                rollbackAfter != null ? rollbackAfter : defaults.rollbackAfter);
    }

    /** The same policy needing {@code samples} events in every tier (a rollout that named its minimum). */
    public RolloutPolicy withMinSamples(int samples) {
        return new RolloutPolicy(advanceErrorRate, pauseErrorRate, rollbackErrorRate, minSuccessRate,
                fastTrackSuccessRate, fastTrackFactor, List.of(samples, samples, samples, samples), autoAdvance,
                advanceWindow, rollbackAfter);
    }

    public List<Violation> violations(String prefix) {
        List<Violation> violations = new ArrayList<>();
        rate(prefix + ".advanceErrorRate", advanceErrorRate, violations);
        rate(prefix + ".pauseErrorRate", pauseErrorRate, violations);
        rate(prefix + ".rollbackErrorRate", rollbackErrorRate, violations);
        rate(prefix + ".minSuccessRate", minSuccessRate, violations);
        rate(prefix + ".fastTrackSuccessRate", fastTrackSuccessRate, violations);
        if (fastTrackFactor != null && (fastTrackFactor.isNaN() || fastTrackFactor <= 0 || fastTrackFactor > 1)) {
            violations.add(new Violation(prefix + ".fastTrackFactor", "must be above 0 and at most 1"));
        }
        if (advanceErrorRate != null && pauseErrorRate != null && advanceErrorRate > pauseErrorRate) {
            violations.add(new Violation(prefix + ".advanceErrorRate", "must not be above pauseErrorRate"));
        }
        if (pauseErrorRate != null && rollbackErrorRate != null && pauseErrorRate > rollbackErrorRate) {
            violations.add(new Violation(prefix + ".pauseErrorRate", "must not be above rollbackErrorRate"));
        }
        if (minSamples != null && (minSamples.size() != 4
                || minSamples.stream().anyMatch(n -> n == null || n < 1 || n > 1_000_000))) {
            violations
                    .add(new Violation(prefix + ".minSamples", "must list 4 counts (tiers 1 to 4), each 1 to 1000000"));
        }
        if (advanceWindow != null) {
            advanceWindow.validate(prefix + ".advanceWindow", violations);
        }
        if (rollbackAfter != null && (rollbackAfter < 1 || rollbackAfter > 100)) {
            violations.add(new Violation(prefix + ".rollbackAfter", "must be 1 to 100"));
        }
        return violations;
    }

    private static void rate(String field, Double rate, List<Violation> violations) {
        if (rate != null && (rate.isNaN() || rate <= 0 || rate >= 1)) {
            violations.add(new Violation(field, "must be between 0 and 1, exclusive"));
        }
    }

    /** Minimum success/error events before anything is concluded in {@code tier}. */
    public int minSamples(Tier tier) {
        return minSamples.get(Math.max(1, tier.number()) - 1);
    }

    /** Whether the evidence earns a shorter stay in the tier. */
    public boolean fastTracked(WindowStats stats, Tier tier) {
        return stats.samples() >= minSamples(tier) && stats.successRate() > fastTrackSuccessRate;
    }

    /** The least time in {@code tier}, shortened when the evidence is fast-tracked. */
    public Duration minTimeInTier(Duration base, WindowStats stats, Tier tier) {
        return fastTracked(stats, tier) ? Duration.ofMillis(Math.round(base.toMillis() * fastTrackFactor)) : base;
    }

    /**
     * The decision matrix for one check of an active or completed rollout. {@code criteriaMet} says
     * whether every advancement criterion holds (samples, rates, time in tier).
     */
    public Decision decide(Tier tier, boolean active, WindowStats stats, boolean criteriaMet, Instant now) {
        int needed = minSamples(tier);
        if (stats.samples() < needed) {
            return new Decision(Action.INCONCLUSIVE, String.format(Locale.ROOT, "%d of %d samples",
                    stats.samples(), needed));
        }
        if (stats.errorRate() > rollbackErrorRate) {
            return new Decision(Action.ROLLBACK, String.format(Locale.ROOT,
                    "Automatic rollback: error rate %s over %d samples is above %s",
                    percent(stats.errorRate()), stats.samples(),
                    percent(rollbackErrorRate)));
        }
        // a pause rate equal to the rollback rate leaves no band to pause in
        if (stats.errorRate() >= pauseErrorRate && pauseErrorRate < rollbackErrorRate) {
            return new Decision(Action.PAUSE, String.format(Locale.ROOT,
                    "Automatic pause: error rate %s over %d samples is in the pause band (%s to %s); investigate",
                    percent(stats.errorRate()), stats.samples(),
                    percent(pauseErrorRate), percent(rollbackErrorRate)));
        }
        if (stats.successRate() < minSuccessRate) {
            return new Decision(Action.PAUSE, String.format(Locale.ROOT,
                    "Automatic pause: success rate %s over %d samples is under %s; extend and investigate",
                    percent(stats.successRate()), stats.samples(),
                    percent(minSuccessRate)));
        }
        if (!active || tier.isLast() || !Boolean.TRUE.equals(autoAdvance)) {
            return new Decision(Action.HOLD, "healthy");
        }
        if (stats.errorRate() >= advanceErrorRate) {
            return new Decision(Action.HOLD, "error rate " + percent(stats.errorRate())
                    + " is in the investigate band; advance by hand once understood");
        }
        if (!criteriaMet) {
            return new Decision(Action.HOLD, "advancement criteria not met yet");
        }
        if (advanceWindow != null && !advanceWindow.contains(now)) {
            return new Decision(Action.OUTSIDE_WINDOW, "outside the advance window");
        }
        return new Decision(Action.ADVANCE, String.format(Locale.ROOT,
                "Automatic advance: error rate %s and success rate %s over %d samples",
                percent(stats.errorRate()), percent(stats.successRate()),
                stats.samples()));
    }

    /** A rate as operators read it in reasons and criteria: 0.0123 is "1.23%". */
    static String percent(double rate) {
        return String.format(Locale.ROOT, "%.2f%%", rate * 100);
    }
}
