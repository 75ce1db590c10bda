package io.rollgate.rollouts;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** One advancement criterion, with what it requires and what was observed. */
@RegisterForReflection
public record Criterion(String name, String required, String actual, boolean met) {
}
