package io.rollgate.engine;

import io.rollgate.errors.InvalidInputException;

/** Customer and organization ids are opaque caller strings, bounded so they are safe as keys and labels. */
public final class Ids {

    public static final int MAX_LENGTH = 128;

    private Ids() {
    }

    /** Letters, digits and {@code ._:-}, 1 to 128 of them. A loop, not a regex: this runs on every widget load. */
    public static boolean isValid(String id) {
        if (id == null || id.isEmpty() || id.length() > MAX_LENGTH) {
            return false;
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            boolean allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '.' || c == '_' || c == ':' || c == '-';
            if (!allowed) {
                return false;
            }
        }
        return true;
    }

    /** Returns the id, or throws naming the field when it is present but malformed. Null passes through. */
    public static String optional(String field, String id) {
        if (id == null) {
            return null;
        }
        if (!isValid(id)) {
            throw new InvalidInputException(field,
                    "must be 1-" + MAX_LENGTH + " characters of letters, digits and . _ : -");
        }
        return id;
    }

    /** Longest targeting key an evaluation takes: an e-mail address, a UUID or a URN fits with room to spare. */
    public static final int MAX_TARGETING_KEY_LENGTH = 256;

    /**
     * A targeting key as OpenFeature clients send them: any text (an e-mail address, a UUID, a URN) up to
     * {@value #MAX_TARGETING_KEY_LENGTH} characters, without control characters. Null passes through. Such a key
     * buckets percentages and finds the customer's overrides, which are stored only for ids {@link #isValid} allows.
     */
    public static String targetingKey(String field, String key) {
        if (key == null) {
            return null;
        }
        if (key.isEmpty() || key.length() > MAX_TARGETING_KEY_LENGTH) {
            throw new InvalidInputException(field, "must be 1-" + MAX_TARGETING_KEY_LENGTH + " characters");
        }
        for (int i = 0; i < key.length(); i++) {
            if (Character.isISOControl(key.charAt(i))) {
                throw new InvalidInputException(field, "must not hold control characters");
            }
        }
        return key;
    }

    public static String required(String field, String id) {
        if (id == null) {
            throw new InvalidInputException(field, "is required");
        }
        return optional(field, id);
    }
}
