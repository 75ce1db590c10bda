package io.rollgate.flags.admin;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.rollgate.catalog.RuleDto;
import io.rollgate.catalog.Rules;
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
                + "when it is not") String staleReason) {

    /** The definition alone, as the audit keeps it. */
    public static FlagView of(FlagDefinition flag) {
        return of(flag, null);
    }

    /** The definition with what flag hygiene knows of it. */
    public static FlagView of(FlagDefinition flag, FlagHygiene.State hygiene) {
        return new FlagView(flag.key(), flag.alias(), flag.description(), flag.group(), flag.enabled(),
                flag.defaultValue(), flag.rolloutPercentage(), Rules.toDtos(flag.rules()), flag.prerequisites(),
                flag.environmentDefaults(), flag.version(), hygiene == null ? null : hygiene.permanent(),
                hygiene == null ? null : hygiene.lastEvaluatedAt(), hygiene == null ? null : hygiene.staleReason());
    }
}
