package io.rollgate.errors;

/** PostgreSQL cannot be reached or did not answer in time: 503 with Retry-After, nothing stored. */
public class DatabaseUnavailableException extends RuntimeException {
    public DatabaseUnavailableException(String detail, Throwable cause) {
        super(detail, cause, false, false);
    }
}
