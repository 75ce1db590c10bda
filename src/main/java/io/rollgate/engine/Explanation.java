package io.rollgate.engine;

import java.util.List;

/**
 * How one flag's value was decided for a context: every step of the resolution in order, up to the one that
 * decided, each saying what it decided or why it did not (the override leaf, the rule that matched, the bucket
 * against the percentage, the prerequisite that is off).
 */
public record Explanation(FlagResult result, List<Step> steps) {

    /** What a step did: it decided the value, or the resolution passed on to the next step. */
    public enum Outcome {
        DECIDED, PASSED;

        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** One step: its name, what it did, and why, in words. */
    public record Step(String step, Outcome outcome, String detail) {
    }
}
