package io.rollgate.flags.segments;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.rollgate.audit.Reasons;
import io.rollgate.catalog.RuleDto;
import io.rollgate.catalog.Rules;
import io.rollgate.engine.SegmentValidation;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A segment as callers send it; what a GET answers can be sent back with a reason. */
@RegisterForReflection
public record SegmentRequest(
        @Schema(description = "Key flags name the segment by: 1-64 of letters, digits and . _ -", example = "beta-testers") String key,
        String description,
        @Schema(description = "Targeting keys (customer ids) always in the segment; at most 10,000", example = "[\"acme-1\", \"jane@example.com\"]") List<String> included,
        @Schema(description = "Targeting keys never in the segment, whatever else says so; at most 10,000") List<String> excluded,
        @Schema(description = "Anyone else is in when one of these matches: user, group, environment or attribute rules") List<RuleDto> rules,
        @Schema(description = "On update and delete: the version last read; a stale one is refused with 409") Long version,
        @Schema(description = "Read-only, ignored", readOnly = true) List<String> usedBy,
        @Schema(description = Reasons.DESCRIPTION, required = true, minLength = 1, maxLength = Reasons.MAX_LENGTH) String reason) {

    /** The segment as written, for the engine to check. */
    public SegmentValidation.SegmentDraft draft() {
        return draft(key);
    }

    /** The segment as written, under {@code segmentKey} (the path's, on an update). */
    public SegmentValidation.SegmentDraft draft(String segmentKey) {
        return new SegmentValidation.SegmentDraft(segmentKey, description, included, excluded, Rules.written(rules));
    }
}
