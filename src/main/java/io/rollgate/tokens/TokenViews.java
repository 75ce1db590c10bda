package io.rollgate.tokens;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.rollgate.audit.Reasons;
import io.rollgate.security.ManagedToken;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Request and response documents of the token API. */
public final class TokenViews {

    private TokenViews() {
    }

    @RegisterForReflection
    public record CreateRequest(
            @Schema(description = "What the token is for: 1-64 of letters, digits, space . _ : -", example = "checkout-proxy", required = true) String name,
            @Schema(description = "admin, operator, organization-operator, viewer, ingest or evaluation", required = true) String role,
            @Schema(description = "Required for organization-operator: the one organization it may change") String organizationId,
            @Schema(description = "Optional expiry, in the future") OffsetDateTime expiresAt,
            @Schema(description = Reasons.DESCRIPTION, required = true, minLength = 1, maxLength = Reasons.MAX_LENGTH) String reason) {
    }

    /** A token as listed: never its secret. {@code token} is set once, in the answer to its creation. */
    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record TokenView(UUID id, String name, String role, String organizationId, String createdBy,
            Instant createdAt, Instant expiresAt, Instant revokedAt, String token) {

        static TokenView of(ManagedToken token, String secret) {
            return new TokenView(token.id(), token.name(), token.role(), token.organizationId(), token.createdBy(),
                    token.createdAt(), token.expiresAt(), token.revokedAt(), secret);
        }
    }
}
