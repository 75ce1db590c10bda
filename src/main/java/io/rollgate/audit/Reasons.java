package io.rollgate.audit;

import io.rollgate.engine.InvalidInputException;
import io.rollgate.engine.Violation;
import java.util.List;
import java.util.Optional;

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
        tooLong(reason).ifPresent(violation -> {
            throw new InvalidInputException(List.of(violation));
        });
        return reason;
    }

    /** The over-length violation of an optional reason, for validators that report every violation at once. */
    public static Optional<Violation> tooLong(String reason) {
        return reason != null && reason.length() > MAX_LENGTH
                ? Optional.of(new Violation("reason", "is longer than " + MAX_LENGTH + " characters"))
                : Optional.empty();
    }
}
