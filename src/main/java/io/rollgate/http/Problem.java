package io.rollgate.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.rollgate.errors.Violation;
import java.util.List;

/**
 * An RFC 9457 problem document: what every error response of the service looks like. Its violations are the
 * engine's records, which know nothing of Quarkus: they are registered here, where they become JSON.
 */
@RegisterForReflection(targets = { Problem.class, Violation.class })
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(
        String type,
        String title,
        int status,
        String detail,
        String instance,
        String correlationId,
        List<Violation> errors,
        List<?> unmetCriteria) {

    public static final String MEDIA_TYPE = "application/problem+json";

    public Problem(String type, String title, int status, String detail, String instance, String correlationId,
            List<Violation> errors) {
        this(type, title, status, detail, instance, correlationId, errors, null);
    }
}
