package io.rollgate.tokens;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Whether a configured token may guard production: long enough to resist guessing, and not one of the
 * placeholders templates and examples ship with (a template's value must never become the live token).
 */
public final class TokenStrength {

    /** The least length of a production token: 32 characters of a random value. */
    public static final int MIN_LENGTH = 32;
    private static final List<String> PLACEHOLDERS = List.of("change-me", "changeme", "change_me", "replace-me",
            "placeholder", "example", "your-token", "secret-token", "todo");

    private TokenStrength() {
    }

    /** What is wrong with {@code token} for production, or empty when nothing is. */
    public static Optional<String> problem(String token) {
        String lower = token.toLowerCase(Locale.ROOT);
        for (String placeholder : PLACEHOLDERS) {
            if (lower.contains(placeholder)) {
                return Optional.of("looks like a template placeholder (contains \"" + placeholder + "\")");
            }
        }
        if (token.length() < MIN_LENGTH) {
            return Optional.of("is shorter than " + MIN_LENGTH + " characters");
        }
        if (token.chars().distinct().count() < 8) {
            return Optional.of("repeats too few characters to be random");
        }
        return Optional.empty();
    }
}
