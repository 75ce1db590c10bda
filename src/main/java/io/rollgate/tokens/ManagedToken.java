package io.rollgate.tokens;

import java.time.Instant;
import java.util.UUID;

/** A token as stored: never the secret, only its salted hash. */
public final class ManagedToken {

    private final UUID id;
    private final String name;
    private final String role;
    private final String organizationId;
    private final byte[] salt;
    private final byte[] secretHash;
    private final String createdBy;
    private final Instant createdAt;
    private final Instant expiresAt;
    private final Instant revokedAt;

    public ManagedToken(UUID id, String name, String role, String organizationId, byte[] salt, byte[] secretHash,
            String createdBy, Instant createdAt, Instant expiresAt, Instant revokedAt) {
        this.id = id;
        this.name = name;
        this.role = role;
        this.organizationId = organizationId;
        // copies in and out: a stored token cannot be changed by whoever holds it
        this.salt = salt.clone();
        this.secretHash = secretHash.clone();
        this.createdBy = createdBy;
        this.createdAt = createdAt;
        this.expiresAt = expiresAt;
        this.revokedAt = revokedAt;
    }

    public UUID id() {
        return id;
    }

    public String name() {
        return name;
    }

    public String role() {
        return role;
    }

    public String organizationId() {
        return organizationId;
    }

    public byte[] salt() {
        return salt.clone();
    }

    public byte[] secretHash() {
        return secretHash.clone();
    }

    public String createdBy() {
        return createdBy;
    }

    public Instant createdAt() {
        return createdAt;
    }

    public Instant expiresAt() {
        return expiresAt;
    }

    public Instant revokedAt() {
        return revokedAt;
    }

    public boolean usableAt(Instant now) {
        return revokedAt == null && (expiresAt == null || now.isBefore(expiresAt));
    }
}
