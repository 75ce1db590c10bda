package io.rollgate.audit;

import io.rollgate.errors.InvalidInputException;
import io.rollgate.errors.Violation;
import java.util.List;
import java.util.Optional;

/**
 * Every change states why: the reason is what makes an audit trail readable months later. Every write of the admin
 * API takes one of 1 to {@value #MAX_LENGTH} characters; the resources check it before anything else, so a
 * request without one is refused the same way whatever else is wrong with it.
 */
public final class Reasons {

    public static final int MAX_LENGTH = 1000;

    /** The field's description in the API document. */
    public static final String DESCRIPTION = "Why; recorded in the audit trail. Required, 1-1000 characters";

    private Reasons() {
    }

    public static String require(String reason) {
        check(reason).ifPresent(violation -> {
            throw new InvalidInputException(List.of(violation));
        });
        return reason.strip();
    }

    /** The reason's violation, if any, for validators that report every violation at once. */
    public static Optional<Violation> check(String reason) {
        if (reason == null || reason.isBlank()) {
            return Optional.of(new Violation("reason", "is required: say why (1 to " + MAX_LENGTH + " characters)"));
        }
        return tooLong(reason);
    }

    /** For actions the service takes by itself (automatic checks): only the length is bounded. */
    public static String optional(String reason) {
        tooLong(reason).ifPresent(violation -> {
            throw new InvalidInputException(List.of(violation));
        });
        return reason;
    }

    private static Optional<Violation> tooLong(String reason) {
        return reason != null && reason.length() > MAX_LENGTH
                ? Optional.of(new Violation("reason", "is longer than " + MAX_LENGTH + " characters"))
                : Optional.empty();
    }
}
