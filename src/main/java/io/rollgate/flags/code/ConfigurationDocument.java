package io.rollgate.flags.code;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.rollgate.audit.Reasons;
import java.time.Instant;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The flag configuration document: every flag and segment by name, the catalog's version and its last update. The
 * export sorts flags by name; applying it back takes the same document (plus a reason).
 */
@RegisterForReflection
public record ConfigurationDocument(
        @Schema(description = "Every flag by its key") Map<String, FlagDocument> flags,
        @Schema(description = "Every segment by its key. Left out when applying: segments stay as they are; with "
                + "prune, segments the document does not name are deleted") Map<String, SegmentDocument> segments,
        @Schema(description = "When the catalog last changed (ignored when applying)") Instant lastUpdated,
        @Schema(description = "The catalog version the document was read at; applying it is refused with 409 "
                + "when the catalog has changed since") Long version,
        @Schema(description = "Why; recorded with every flag the document changes. Required when applying "
                + "(1-1000 characters), not for a dry run or in an export", maxLength = Reasons.MAX_LENGTH) String reason) {
}
