package io.rollgate.errors;

/** The thing asked for does not exist: 404. */
public class NotFoundException extends RuntimeException {
    public NotFoundException(String detail) {
        super(detail, null, false, false);
    }
}
