package io.rollgate.catalog;

import io.quarkus.runtime.annotations.RegisterForReflection;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A targeting rule as the API shows it: a type and one string, a list, or a percentage. */
@RegisterForReflection
public record RuleDto(
        @Schema(description = "user, group, environment or percentage", example = "user") String type,
        @Schema(description = "A string or a list of strings; a number 0-100 for percentage", example = "[\"user-123\", \"user-456\"]") Object value) {
}
