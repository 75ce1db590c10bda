package io.rollgate.security;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** SQL for api_tokens. */
@ApplicationScoped
public class TokenRepository {

    private final Pool pool;

    public TokenRepository(Pool pool) {
        this.pool = pool;
    }

    public Uni<List<ManagedToken>> findAll() {
        return pool
                .query("""
                        SELECT id, name, role, organization_id, salt, secret_hash, created_by, created_at, expires_at, revoked_at
                        FROM api_tokens ORDER BY created_at""")
                .execute()
                .map(rows -> {
                    List<ManagedToken> tokens = new ArrayList<>();
                    rows.forEach(row -> tokens.add(toToken(row)));
                    return tokens;
                });
    }

    public Uni<Void> insert(SqlConnection connection, ManagedToken token) {
        return connection.preparedQuery("""
                INSERT INTO api_tokens (id, name, role, organization_id, salt, secret_hash, created_by, created_at,
                    expires_at)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)""")
                .execute(Tuple.tuple().addUUID(token.id()).addString(token.name()).addString(token.role())
                        .addString(token.organizationId()).addBuffer(Buffer.buffer(token.salt()))
                        .addBuffer(Buffer.buffer(token.secretHash())).addString(token.createdBy())
                        .addOffsetDateTime(utc(token.createdAt())).addOffsetDateTime(utc(token.expiresAt())))
                .replaceWithVoid();
    }

    /** Revokes a token that is not revoked yet; false when there is no such live token. */
    public Uni<Boolean> revoke(SqlConnection connection, UUID id, String by) {
        return connection.preparedQuery("""
                UPDATE api_tokens SET revoked_at = now(), revoked_by = $2 WHERE id = $1 AND revoked_at IS NULL""")
                .execute(Tuple.of(id, by))
                .map(rows -> rows.rowCount() == 1);
    }

    private static ManagedToken toToken(Row row) {
        return new ManagedToken(row.getUUID("id"), row.getString("name"), row.getString("role"),
                row.getString("organization_id"), row.getBuffer("salt").getBytes(),
                row.getBuffer("secret_hash").getBytes(),
                row.getString("created_by"), instant(row.getOffsetDateTime("created_at")),
                instant(row.getOffsetDateTime("expires_at")), instant(row.getOffsetDateTime("revoked_at")));
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }

    private static Instant instant(OffsetDateTime time) {
        return time == null ? null : time.toInstant();
    }
}
