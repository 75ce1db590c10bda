package io.rollgate.rollouts;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.rollgate.errors.Violation;
import java.util.ArrayList;
import java.util.List;

/**
 * Auto-rollback as data (rollbackThreshold plus the evidence rules): roll back when the error
 * rate over {@code timeWindow} milliseconds exceeds {@code errorRate} on {@code consecutiveBreaches}
 * checks in a row, judged only once {@code minSamples} success/error events were seen.
 */
@RegisterForReflection
public record RollbackThreshold(Double errorRate, Long timeWindow, Integer minSamples, Integer consecutiveBreaches) {

    public static final RollbackThreshold DEFAULT = new RollbackThreshold(0.05, 3_600_000L, 100, 2);

    /** Fills what the caller left out with the defaults. */
    public RollbackThreshold withDefaults() {
        return new RollbackThreshold(
                errorRate != null ? errorRate : DEFAULT.errorRate,
                timeWindow != null ? timeWindow : DEFAULT.timeWindow,
                minSamples != null ? minSamples : DEFAULT.minSamples,
                consecutiveBreaches != null ? consecutiveBreaches : DEFAULT.consecutiveBreaches);
    }

    public List<Violation> violations(String prefix) {
        List<Violation> violations = new ArrayList<>();
        if (errorRate != null && (errorRate.isNaN() || errorRate <= 0 || errorRate >= 1)) {
            violations.add(new Violation(prefix + ".errorRate", "must be between 0 and 1, exclusive"));
        }
        if (timeWindow != null && (timeWindow < 60_000 || timeWindow > 30L * 24 * 3_600_000)) {
            violations.add(new Violation(prefix + ".timeWindow", "must be 60000 ms (1 minute) to 30 days"));
        }
        if (minSamples != null && (minSamples < 1 || minSamples > 1_000_000)) {
            violations.add(new Violation(prefix + ".minSamples", "must be 1 to 1000000"));
        }
        if (consecutiveBreaches != null && (consecutiveBreaches < 1 || consecutiveBreaches > 100)) {
            violations.add(new Violation(prefix + ".consecutiveBreaches", "must be 1 to 100"));
        }
        return violations;
    }
}
