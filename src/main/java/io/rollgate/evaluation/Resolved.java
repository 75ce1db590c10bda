package io.rollgate.evaluation;

import io.rollgate.engine.Evaluation;
import java.time.Instant;

/** An evaluation with when it was made and whether it rests on last known good data. */
public record Resolved(Evaluation evaluation, String customerId, String organizationId, String environment,
        Instant evaluatedAt, boolean stale) {
}
