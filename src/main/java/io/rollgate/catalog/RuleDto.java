package io.rollgate.catalog;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A targeting rule as the API shows it: a type and one string, a list, or a percentage. */
@RegisterForReflection
public record RuleDto(
        @Schema(description = "user, group, environment, percentage, attribute or segment", example = "user") String type,
        @Schema(description = "A string or a list of strings (segment keys for segment); a number 0-100 for percentage", example = "[\"user-123\", \"user-456\"]") Object value,
        @JsonInclude(JsonInclude.Include.NON_NULL) @Schema(description = "Typed flags: the variant served when the rule matches") String variant,
        @JsonInclude(JsonInclude.Include.NON_NULL) @Schema(description = "Typed flags: instead of a variant, a split of the matching customers over variants") List<WeightDto> split,
        @JsonInclude(JsonInclude.Include.NON_NULL) @Schema(description = "Attribute rules: the context attribute tested", example = "plan") String attribute,
        @JsonInclude(JsonInclude.Include.NON_NULL) @Schema(description = "Attribute rules: equals, in, not_in, starts_with, ends_with, contains, matches, lt, lte, gt, gte, semver_eq, semver_lt, semver_gt, before, after", example = "in") String operator) {

    /** A boolean flag's rule. */
    public RuleDto(String type, Object value) {
        this(type, value, null, null, null, null);
    }
}
