package io.rollgate.audit;

import io.rollgate.engine.InvalidInputException;

/** Every change states why: the reason is what makes an audit trail readable months later. */
public final class Reasons {

    public static final int MAX_LENGTH = 1000;

    private Reasons() {
    }

    public static String require(String reason) {
        if (reason == null || reason.isBlank()) {
            throw new InvalidInputException("reason", "is required: say why the flag changes");
        }
        if (reason.length() > MAX_LENGTH) {
            throw new InvalidInputException("reason", "is longer than " + MAX_LENGTH + " characters");
        }
        return reason.strip();
    }

    /** For actions where a reason is welcome but not required: only its length is bounded. */
    public static String optional(String reason) {
        if (reason != null && reason.length() > MAX_LENGTH) {
            throw new InvalidInputException("reason", "is longer than " + MAX_LENGTH + " characters");
        }
        return reason;
    }
}
