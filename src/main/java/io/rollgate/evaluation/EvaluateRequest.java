package io.rollgate.evaluation;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The evaluation context: userId or customerId, groupId or organizationId, environment, more. */
@RegisterForReflection
public record EvaluateRequest(
        @Schema(description = "userId, customerId, groupId, organizationId, environment and any other "
                + "string attributes", example = "{\"userId\": \"user-123\", \"groupId\": \"beta-testers\"}") Map<String, Object> context) {
}
