package io.rollgate.tokens;

import java.time.Instant;
import java.util.UUID;

/** A token as stored: never the secret, only its salted hash. */
public record ManagedToken(UUID id, String name, String role, String organizationId, byte[] salt, byte[] secretHash,
        String createdBy, Instant createdAt, Instant expiresAt, Instant revokedAt) {

    public boolean usableAt(Instant now) {
        return revokedAt == null && (expiresAt == null || now.isBefore(expiresAt));
    }
}
