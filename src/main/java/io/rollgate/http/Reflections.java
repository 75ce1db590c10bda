package io.rollgate.http;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.rollgate.errors.Violation;

/**
 * Types Jackson serializes in a native image that cannot carry the annotation themselves: the engine
 * stays free of framework types, so its records are registered here.
 */
@RegisterForReflection(targets = { Violation.class })
final class Reflections {

    private Reflections() {
    }
}
