package io.rollgate.flags.admin;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.rollgate.audit.Reasons;
import io.rollgate.catalog.RuleDto;
import io.rollgate.catalog.Rules;
import io.rollgate.catalog.WeightDto;
import io.rollgate.engine.FlagDraft;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A flag definition as callers send it (setFlag, plus prerequisites and environment defaults). */
@RegisterForReflection
public record FlagRequest(
        @Schema(description = "Key: letters, digits, . _ -; dots nest it in the widget config", example = "new-onboarding-flow") String name,
        String description,
        @Schema(description = "Group or phase the flag is listed under", example = "onboarding") String group,
        @Schema(description = "false is the kill switch; default true") Boolean enabled,
        @Schema(description = "Value when nothing else decides; default false") Boolean defaultValue,
        @Schema(description = "Share of targeting keys the flag is on for, 0-100; absent for none") Integer rolloutPercentage,
        List<RuleDto> rules,
        @Schema(description = "Flags (paths or rollout names) that must be on for this one to be on") List<String> prerequisites,
        @Schema(description = "Value per environment name", example = "{\"development\": true}") Map<String, Boolean> environmentDefaults,
        @Schema(description = Reasons.DESCRIPTION, required = true, minLength = 1, maxLength = Reasons.MAX_LENGTH) String reason,
        @Schema(description = "On update: the version last read; a stale one is refused with 409") Long version,
        @Schema(description = "Read-only (the rollout name the catalog gives the flag): accepted when equal to the "
                + "flag's, so what a GET answers can be PUT back; anything else is 400", readOnly = true) String alias,
        @Schema(description = "Read-only here, ignored (set with PUT /api/admin/flags/{name}/permanent)", readOnly = true) Boolean permanent,
        @Schema(description = "Read-only, ignored", readOnly = true) Instant lastEvaluatedAt,
        @Schema(description = "Read-only, ignored", readOnly = true) String staleReason,
        @JsonInclude(JsonInclude.Include.NON_NULL) @Schema(description = "boolean (the default: on and off), string, number or object", example = "string") String type,
        @JsonInclude(JsonInclude.Include.NON_NULL) @Schema(description = "Typed flags: each variant's name and value, of the flag's type", example = "{\"blue\": \"#0000ff\", \"green\": \"#00ff00\"}") Map<String, Object> variants,
        @JsonInclude(JsonInclude.Include.NON_NULL) @Schema(description = "Typed flags: the variant served when nothing decides, and when switched off", example = "blue") String defaultVariant,
        @JsonInclude(JsonInclude.Include.NON_NULL) @Schema(description = "Typed flags: customers no rule decides for, split over variants by weight") List<WeightDto> split) {

    /** The definition as written, for the engine to check. */
    public FlagDraft draft() {
        FlagDraft.Typed typed = type == null && variants == null && defaultVariant == null && split == null
                ? null
                : new FlagDraft.Typed(type, variants, defaultVariant, Rules.weights(split));
        return new FlagDraft(name, description, group, enabled, defaultValue, rolloutPercentage,
                Rules.written(rules), prerequisites, environmentDefaults, typed);
    }
}
