package io.rollgate.errors;

import java.util.List;

/** The change collides with the current state or with a concurrent change: 409, with what stood in the way. */
public class ConflictException extends RuntimeException {

    private final transient List<?> unmet;

    public ConflictException(String detail) {
        this(detail, List.of());
    }

    public ConflictException(String detail, List<?> unmet) {
        super(detail, null, false, false);
        this.unmet = List.copyOf(unmet);
    }

    /** The conditions that were not met, when the refusal comes from criteria (shown to the caller). */
    public List<?> unmet() {
        return unmet;
    }
}
