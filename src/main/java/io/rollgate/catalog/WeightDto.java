package io.rollgate.catalog;

import io.quarkus.runtime.annotations.RegisterForReflection;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** One variant's share of a split, as the API shows it. */
@RegisterForReflection
public record WeightDto(
        @Schema(description = "A variant of the flag", example = "green") String variant,
        @Schema(description = "Its weight: customers land on variants in proportion to their weights", example = "50") Integer weight) {
}
