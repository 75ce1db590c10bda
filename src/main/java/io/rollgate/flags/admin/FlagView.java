package io.rollgate.flags.admin;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.rollgate.catalog.RuleDto;
import io.rollgate.catalog.Rules;
import io.rollgate.catalog.WeightDto;
import io.rollgate.engine.FlagDefinition;
import io.rollgate.flags.hygiene.FlagHygiene;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A flag definition as the API shows it. */
@RegisterForReflection
public record FlagView(String name, String alias, String description, String group, boolean enabled,
        boolean defaultValue, Integer rolloutPercentage, List<RuleDto> rules, List<String> prerequisites,
        Map<String, Boolean> environmentDefaults, long version,
        @JsonInclude(JsonInclude.Include.NON_NULL) @Schema(description = "Meant to stay (a kill switch): never "
                + "reported stale") Boolean permanent,
        @JsonInclude(JsonInclude.Include.NON_NULL) @Schema(description = "When a replica last evaluated it, as "
                + "recorded (about once a minute)") Instant lastEvaluatedAt,
        @JsonInclude(JsonInclude.Include.NON_NULL) @Schema(description = "Why the flag is potentially stale; absent "
                + "when it is not") String staleReason,
        @JsonInclude(JsonInclude.Include.NON_NULL) @Schema(description = "boolean (the default: on and off), string, number or object", example = "string") String type,
        @JsonInclude(JsonInclude.Include.NON_NULL) @Schema(description = "Typed flags: each variant's name and value, of the flag's type", example = "{\"blue\": \"#0000ff\", \"green\": \"#00ff00\"}") Map<String, Object> variants,
        @JsonInclude(JsonInclude.Include.NON_NULL) @Schema(description = "Typed flags: the variant served when nothing decides, and when switched off", example = "blue") String defaultVariant,
        @JsonInclude(JsonInclude.Include.NON_NULL) @Schema(description = "Typed flags: customers no rule decides for, split over variants by weight") List<WeightDto> split) {

    /** The definition alone, as the audit keeps it. */
    public static FlagView of(FlagDefinition flag) {
        return of(flag, null);
    }

    /** The definition with what flag hygiene knows of it. */
    public static FlagView of(FlagDefinition flag, FlagHygiene.State hygiene) {
        return new FlagView(flag.key(), flag.alias(), flag.description(), flag.group(), flag.enabled(),
                flag.defaultValue(), flag.rolloutPercentage(), Rules.toDtos(flag.rules()), flag.prerequisites(),
                flag.environmentDefaults(), flag.version(), hygiene == null ? null : hygiene.permanent(),
                hygiene == null ? null : hygiene.lastEvaluatedAt(), hygiene == null ? null : hygiene.staleReason(),
                flag.typed() ? flag.variants().type().wireName() : null,
                flag.typed() ? flag.variants().values() : null,
                flag.typed() ? flag.variants().defaultVariant() : null,
                flag.typed() && !flag.variants().split().isEmpty() ? Rules.splitDtos(flag.variants().split()) : null);
    }
}
