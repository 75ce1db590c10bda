package io.rollgate.overrides;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The override document a scope holds now. */
@RegisterForReflection
public record OverrideView(String scope, String id, Map<String, Object> flags,
        @Schema(description = OverrideRequest.VERSION) String version) {
}
