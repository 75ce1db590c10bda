package io.rollgate.tokens;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.rollgate.audit.Reasons;
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
            Instant createdAt, Instant expiresAt, Instant revokedAt, String token,
            @Schema(description = "When it last authenticated a request, as the replicas recorded it (about once a "
                    + "minute); absent when never") Instant lastUsedAt,
            @Schema(description = "managed (created through the API, revocable) or configuration (set in the "
                    + "service's configuration; changed there, not here)") String source) {

        static TokenView of(ManagedToken token, String secret) {
            return of(token, secret, null);
        }

        static TokenView of(ManagedToken token, String secret, Instant lastUsedAt) {
            return new TokenView(token.id(), token.name(), token.role(), token.organizationId(), token.createdBy(),
                    token.createdAt(), token.expiresAt(), token.revokedAt(), secret, lastUsedAt, "managed");
        }

        /** A token set in configuration: its setting's name and role, never the token. */
        static TokenView configured(String name, String role, Instant lastUsedAt) {
            return new TokenView(null, "rollgate.security." + name + "-token", role, null, null, null, null, null,
                    null, lastUsedAt, "configuration");
        }
    }
}
