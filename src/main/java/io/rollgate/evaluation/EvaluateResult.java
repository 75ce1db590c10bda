package io.rollgate.evaluation;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Instant;

/** evaluateFlag result. */
@RegisterForReflection
public record EvaluateResult(String name, boolean enabled, String reason, boolean stale, Instant evaluatedAt) {
}
