package io.rollgate.canary;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * One condition a canary stage must meet before it moves on, with what it requires and what was observed
 * (durations as ISO-8601, as rollout criteria are written).
 */
@RegisterForReflection
public record StageCriterion(String name, String required, String actual, boolean met) {
}
