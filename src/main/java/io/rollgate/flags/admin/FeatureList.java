package io.rollgate.flags.admin;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.rollgate.evaluation.EvaluationInfo;
import java.util.List;

/** The GET /api/admin/feature-flags answer. */
@RegisterForReflection
public record FeatureList(boolean success, List<FeatureView> features, EvaluationInfo evaluation) {
}
