package io.rollgate.canary;

import io.rollgate.errors.InvalidInputException;
import java.util.regex.Pattern;

/** What a deployed service may be called: routing, traffic reports and control all hold a name to it. */
final class ServiceNames {

    private static final Pattern SERVICE = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private ServiceNames() {
    }

    static String require(String service) {
        if (service == null || !SERVICE.matcher(service).matches()) {
            throw new InvalidInputException("service", "must be 1-64 of letters, digits and . _ -");
        }
        return service;
    }
}
