package io.rollgate.flags.code;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.rollgate.catalog.RuleDto;
import io.rollgate.catalog.Rules;
import io.rollgate.engine.Segment;
import io.rollgate.engine.SegmentValidation;
import java.util.List;

/** One segment of the configuration document: its definition only, lists sorted, nothing volatile. */
@RegisterForReflection
@JsonPropertyOrder(alphabetic = true)
public record SegmentDocument(String description, List<String> included, List<String> excluded,
        List<RuleDto> rules) {

    static SegmentDocument of(Segment segment) {
        return new SegmentDocument(segment.description(), segment.included().stream().sorted().toList(),
                segment.excluded().stream().sorted().toList(), Rules.toDtos(segment.rules()));
    }

    /** The segment as written under {@code key}, for the same validation as a single segment write. */
    SegmentValidation.SegmentDraft draft(String key) {
        return new SegmentValidation.SegmentDraft(key, description, included, excluded, Rules.written(rules));
    }
}
