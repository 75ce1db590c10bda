package io.rollgate.tokens;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** A managed token as stored in api_tokens: never the secret, only its salt and salted hash. */
@Entity
@Table(name = "api_tokens")
public class TokenRecord {

    @Id
    public UUID id;

    @Column(columnDefinition = "text", nullable = false)
    public String name;

    @Column(columnDefinition = "text", nullable = false)
    public String role;

    @Column(name = "organization_id", columnDefinition = "text")
    public String organizationId;

    @Column(nullable = false)
    public byte[] salt;

    @Column(name = "secret_hash", nullable = false)
    public byte[] secretHash;

    @Column(name = "created_by", columnDefinition = "text", nullable = false)
    public String createdBy;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "expires_at")
    public Instant expiresAt;

    @Column(name = "revoked_at")
    public Instant revokedAt;

    @Column(name = "revoked_by", columnDefinition = "text")
    public String revokedBy;

    static TokenRecord of(ManagedToken token) {
        TokenRecord record = new TokenRecord();
        record.id = token.id();
        record.name = token.name();
        record.role = token.role();
        record.organizationId = token.organizationId();
        record.salt = token.salt();
        record.secretHash = token.secretHash();
        record.createdBy = token.createdBy();
        record.createdAt = token.createdAt();
        record.expiresAt = token.expiresAt();
        return record;
    }

    ManagedToken toToken() {
        return new ManagedToken(id, name, role, organizationId, salt, secretHash, createdBy, createdAt, expiresAt,
                revokedAt);
    }
}
