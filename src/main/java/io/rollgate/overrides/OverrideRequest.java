package io.rollgate.overrides;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.rollgate.audit.Reasons;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A partial flag document for one scope, with the reason for the change. */
@RegisterForReflection
public record OverrideRequest(
        @Schema(description = "Nested partial flag document; leaves are booleans at catalog flag paths", example = "{\"sessionPersistence\":{\"phase2\":{\"enhancedStorage\":true}}}") Map<String, Object> flags,
        @Schema(description = Reasons.DESCRIPTION, required = true, minLength = 1, maxLength = Reasons.MAX_LENGTH) String reason,
        @Schema(description = "Ignored: the audit records the authenticated principal", deprecated = true) String changedBy,
        @Schema(description = "The document's version as last read; when given and the document has changed since, "
                + "the change is refused with 409 and nothing is written") String version,
        @Schema(description = "Read-only: accepted when it names the scope of the path, so what a GET answers can be "
                + "sent back", readOnly = true) String scope,
        @Schema(description = "Read-only: accepted when it is the id of the path", readOnly = true) String id) {

    static final String VERSION = "Names this exact content (opaque; changes whenever any leaf does): send it back "
            + "with a change to have it refused with 409 if someone changed the document meanwhile";
}
