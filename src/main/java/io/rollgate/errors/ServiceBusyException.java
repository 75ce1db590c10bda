package io.rollgate.errors;

/** This replica cannot take more of something right now (open streams): 503 with Retry-After. */
public class ServiceBusyException extends RuntimeException {

    public ServiceBusyException(String detail) {
        super(detail, null, false, false);
    }
}
