package io.rollgate.tokens;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Managed tokens (api_tokens). */
@ApplicationScoped
public class TokenRepository implements PanacheRepositoryBase<TokenRecord, UUID> {

    private final Pool pool;

    public TokenRepository(Pool pool) {
        this.pool = pool;
    }

    /**
     * Every token, oldest first, for the authentication cache and the token list. On the SQL client: the
     * cache reloads from change notices and at startup, outside any request's Vert.x context, where a
     * Hibernate Reactive session cannot open.
     */
    public Uni<List<ManagedToken>> loadAll() {
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

    /** Stores a new token in the current transaction. */
    public Uni<Void> insert(ManagedToken token) {
        return persist(TokenRecord.of(token)).replaceWithVoid();
    }

    /** Revokes a token that is not revoked yet; false when there is no such live token. */
    public Uni<Boolean> revoke(UUID id, String by, Instant at) {
        // locked, so two operators revoking at once record one revocation
        return findById(id, LockModeType.PESSIMISTIC_WRITE).map(record -> {
            if (record == null || record.revokedAt != null) {
                return false;
            }
            record.revokedAt = at;
            record.revokedBy = by;
            return true;
        });
    }

    private static ManagedToken toToken(Row row) {
        return new ManagedToken(row.getUUID("id"), row.getString("name"), row.getString("role"),
                row.getString("organization_id"), row.getBuffer("salt").getBytes(),
                row.getBuffer("secret_hash").getBytes(),
                row.getString("created_by"), instant(row.getOffsetDateTime("created_at")),
                instant(row.getOffsetDateTime("expires_at")), instant(row.getOffsetDateTime("revoked_at")));
    }

    private static Instant instant(OffsetDateTime time) {
        return time == null ? null : time.toInstant();
    }

    /** When each token was last used, as every replica wrote it. */
    public Uni<Map<String, Instant>> lastUses() {
        return pool.query("SELECT token_key, last_used_at FROM token_usage").execute().map(rows -> {
            Map<String, Instant> uses = new HashMap<>();
            rows.forEach(row -> uses.put(row.getString("token_key"),
                    row.getOffsetDateTime("last_used_at").toInstant()));
            return uses;
        });
    }

    /** Records uses, keeping the later of what is stored and what is written (replicas write in any order). */
    public Uni<Void> recordUses(Map<String, Instant> uses) {
        String[] keys = uses.keySet().toArray(String[]::new);
        OffsetDateTime[] times = java.util.Arrays.stream(keys)
                .map(key -> uses.get(key).atOffset(java.time.ZoneOffset.UTC)).toArray(OffsetDateTime[]::new);
        return pool.preparedQuery("""
                INSERT INTO token_usage (token_key, last_used_at) SELECT * FROM unnest($1::text[], $2::timestamptz[])
                ON CONFLICT (token_key) DO UPDATE SET last_used_at = GREATEST(token_usage.last_used_at,
                EXCLUDED.last_used_at)""")
                .execute(Tuple.of(keys, times)).replaceWithVoid();
    }
}
