package io.rollgate.engine;

import java.util.Locale;

/** Where a rollout is in its life. */
public enum RolloutStatus {
    DRAFT, ACTIVE, PAUSED, COMPLETED, ROLLED_BACK;

    private final String wireName = name().toLowerCase(Locale.ROOT);

    public String wireName() {
        return wireName;
    }

    public static RolloutStatus fromWire(String value) {
        for (RolloutStatus status : values()) {
            if (status.wireName.equals(value)) {
                return status;
            }
        }
        throw new IllegalArgumentException("unknown rollout status " + value);
    }

    /** Whether the rollout decides who gets the flag (step 6 of the evaluation). */
    public boolean decides() {
        return this == ACTIVE || this == PAUSED || this == COMPLETED;
    }
}
