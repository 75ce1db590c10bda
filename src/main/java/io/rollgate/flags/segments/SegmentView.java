package io.rollgate.flags.segments;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.rollgate.catalog.RuleDto;
import io.rollgate.catalog.Rules;
import io.rollgate.engine.Catalog;
import io.rollgate.engine.Segment;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A segment as the API shows it, with the flags whose rules name it. */
@RegisterForReflection
public record SegmentView(
        @Schema(example = "beta-testers") String key,
        String description,
        @Schema(description = "Targeting keys always in, sorted") List<String> included,
        @Schema(description = "Targeting keys never in, sorted") List<String> excluded,
        List<RuleDto> rules,
        @Schema(description = "Send it back to change or delete the segment") long version,
        @Schema(description = "The flags whose rules name the segment: while any does, it cannot be deleted") List<String> usedBy) {

    public static SegmentView of(Segment segment, Catalog catalog) {
        return new SegmentView(segment.key(), segment.description(), segment.included().stream().sorted().toList(),
                segment.excluded().stream().sorted().toList(), Rules.toDtos(segment.rules()), segment.version(),
                catalog.flagsTargeting(segment.key()));
    }
}
