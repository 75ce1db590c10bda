package io.rollgate.canary;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.rollgate.errors.Violation;
import java.util.ArrayList;
import java.util.List;

/**
 * One stage of a canary: the share of traffic on the canary, how long it runs at least (s),
 * how many canary requests it needs before judging, and the canary error rate it tolerates.
 */
@RegisterForReflection
public record CanaryStage(Integer percentage, Long duration, Long minRequests, Double maxErrorRate) {

    /** The default stages and thresholds: 10 % (5 %), 50 % (3 %), 100 % (2 %). */
    public static final List<CanaryStage> DEFAULTS = List.of(
            new CanaryStage(10, 300L, 100L, 0.05),
            new CanaryStage(50, 600L, 500L, 0.03),
            new CanaryStage(100, 0L, 0L, 0.02));

    /** Increasing percentages ending at 100, non-negative durations and counts, rates in 0-1. */
    public static List<Violation> validate(List<CanaryStage> stages) {
        List<Violation> violations = new ArrayList<>();
        if (stages.isEmpty() || stages.size() > 20) {
            violations.add(new Violation("stages", "must hold 1 to 20 stages"));
            return violations;
        }
        int previous = 0;
        for (int i = 0; i < stages.size(); i++) {
            CanaryStage stage = stages.get(i);
            String field = "stages[" + i + "]";
            if (stage == null) {
                violations.add(new Violation(field, "is null"));
                continue;
            }
            if (stage.percentage() == null || stage.percentage() <= previous || stage.percentage() > 100) {
                violations.add(new Violation(field + ".percentage", "must be above the previous stage's ("
                        + previous + ") and at most 100"));
            } else {
                previous = stage.percentage();
            }
            if (stage.duration() == null || stage.duration() < 0) {
                violations.add(new Violation(field + ".duration", "must be 0 or more seconds"));
            }
            if (stage.minRequests() == null || stage.minRequests() < 0) {
                violations.add(new Violation(field + ".minRequests", "must be 0 or more"));
            }
            if (stage.maxErrorRate() == null || stage.maxErrorRate().isNaN() || stage.maxErrorRate() < 0
                    || stage.maxErrorRate() > 1) {
                violations.add(new Violation(field + ".maxErrorRate", "must be between 0 and 1"));
            }
        }
        CanaryStage last = stages.get(stages.size() - 1);
        if (last != null && (last.percentage() == null || last.percentage() != 100)) {
            violations.add(new Violation("stages[" + (stages.size() - 1) + "].percentage",
                    "the last stage must be 100"));
        }
        return violations;
    }
}
