package io.rollgate.evaluation;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Instant;

/**
 * How a configuration was decided (FlagEvaluation). {@code stale} is true when PostgreSQL could
 * not be asked and last known good data (or the environment defaults) answered instead.
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EvaluationInfo(String source, Instant evaluatedAt, String environment, String customerId,
        String organizationId, boolean stale) {

    /** The same information without the moment of evaluation: what an entity tag may cover. */
    public EvaluationInfo withoutTime() {
        return new EvaluationInfo(source, null, environment, customerId, organizationId, stale);
    }

    public static EvaluationInfo of(Resolved resolved) {
        return new EvaluationInfo(resolved.evaluation().source().wireName(), resolved.evaluatedAt(),
                resolved.environment(), resolved.customerId(), resolved.organizationId(), resolved.stale());
    }
}
