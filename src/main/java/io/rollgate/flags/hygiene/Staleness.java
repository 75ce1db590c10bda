package io.rollgate.flags.hygiene;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * When a flag is potentially stale, and why: it has served one value to everyone for a while (killed, fully
 * rolled out, or on at 100 % with nothing else deciding), or nobody has evaluated it for a while. A flag
 * marked permanent (a kill switch meant to stay) never is. Plain Java over the facts and a given time.
 */
public final class Staleness {

    /** What hygiene knows of one flag. {@code lastEvaluated} null: never evaluated since usage was recorded. */
    public record Facts(boolean permanent, boolean enabled, Instant lastChanged, Instant created,
            Instant lastEvaluated, Integer rolloutPercentage, boolean hasRules, String rolloutStatus,
            String rolloutTier, Instant rolloutCompleted) {
    }

    private final Duration staleAfter;
    private final Duration unusedAfter;

    public Staleness(Duration staleAfter, Duration unusedAfter) {
        this.staleAfter = staleAfter;
        this.unusedAfter = unusedAfter;
    }

    /** Why the flag is potentially stale at {@code now}, or empty. */
    public Optional<String> reason(Facts flag, Instant now) {
        if (flag.permanent()) {
            return Optional.empty();
        }
        if (!flag.enabled() && older(flag.lastChanged(), staleAfter, now)) {
            return Optional.of("killed since " + flag.lastChanged() + ": it serves off to everyone");
        }
        if ("tier_4_full".equals(flag.rolloutTier()) && "completed".equals(flag.rolloutStatus())
                && older(flag.rolloutCompleted(), staleAfter, now)) {
            return Optional.of("fully rolled out since " + flag.rolloutCompleted() + ": it serves on to everyone");
        }
        boolean everyone = flag.rolloutStatus() == null && !flag.hasRules() && flag.rolloutPercentage() != null
                && flag.rolloutPercentage() == 100;
        if (flag.enabled() && everyone && older(flag.lastChanged(), staleAfter, now)) {
            return Optional.of("on at 100 % since " + flag.lastChanged() + ": it serves on to everyone");
        }
        Instant used = flag.lastEvaluated() != null ? flag.lastEvaluated() : flag.created();
        if (older(used, unusedAfter, now)) {
            return Optional.of(flag.lastEvaluated() != null
                    ? "not evaluated since " + flag.lastEvaluated()
                    : "never evaluated since it was created on " + flag.created());
        }
        return Optional.empty();
    }

    private static boolean older(Instant since, Duration limit, Instant now) {
        return since != null && !since.plus(limit).isAfter(now);
    }
}
