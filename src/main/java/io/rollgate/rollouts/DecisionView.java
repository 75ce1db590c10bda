package io.rollgate.rollouts;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** shouldEnableFeature: the rollout's decision for one customer and why. */
@RegisterForReflection
public record DecisionView(String featureName, String customerId, boolean enabled, String reason, Integer bucket,
        String currentTier, int percentage, String status) {
}
