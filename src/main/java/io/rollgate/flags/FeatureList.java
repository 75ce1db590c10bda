package io.rollgate.flags;

import io.rollgate.evaluation.EvaluationInfo;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;

/** The GET /api/admin/feature-flags answer. */
@RegisterForReflection
public record FeatureList(boolean success, List<FeatureView> features, EvaluationInfo evaluation) {
}
