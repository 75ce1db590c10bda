package io.rollgate.rollouts;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;
import java.util.UUID;
import org.hibernate.annotations.ColumnTransformer;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * A row of feature_rollouts. The database keeps its bookkeeping (the runbooks' feature name, when the tier
 * was entered, the tier history, pause and rollback counts, the update time) by trigger, so hand-written
 * runbook SQL and the API record the same facts; those columns are read-only here.
 */
@Entity
@Table(name = "feature_rollouts")
public class RolloutRow {

    @Id
    public UUID id;

    @Column(name = "flag_key", columnDefinition = "text", nullable = false, updatable = false)
    public String flagKey;

    /** The name the runbooks query by: the flag's alias when it has one, set by the database. */
    @Column(name = "feature_name", columnDefinition = "text", nullable = false, updatable = false)
    public String featureName;

    @Column(name = "current_tier", columnDefinition = "text", nullable = false)
    public String currentTier;

    @JdbcTypeCode(SqlTypes.SMALLINT)
    @Column(nullable = false)
    public int percentage;

    @Column(columnDefinition = "text", nullable = false)
    public String status;

    // text[] under the name PostgreSQL reports it by, so the schema validation recognises it
    @Column(name = "whitelisted_customers", columnDefinition = "_text", nullable = false)
    public String[] whitelistedCustomers;

    @Column(name = "blacklisted_customers", columnDefinition = "_text", nullable = false)
    public String[] blacklistedCustomers;

    // JSON kept as its text, read and written through database.JsonColumns (one style for every JSONB column)
    @Column(name = "rollback_threshold", columnDefinition = "jsonb", nullable = false)
    @ColumnTransformer(read = "rollback_threshold::text", write = "?::text::jsonb")
    public String rollbackThreshold;

    @Column(columnDefinition = "jsonb")
    @ColumnTransformer(read = "policy::text", write = "?::text::jsonb")
    public String policy;

    @Column(name = "started_at")
    public Instant startedAt;

    @Column(name = "tier_entered_at")
    public Instant tierEnteredAt;

    @Column(name = "completed_at")
    public Instant completedAt;

    @Column(name = "breach_count", nullable = false)
    public int breachCount;

    @Column(name = "rollback_reason", columnDefinition = "text")
    public String rollbackReason;

    @Column(name = "rolled_back_at")
    public Instant rolledBackAt;

    @Column(name = "pause_reason", columnDefinition = "text")
    public String pauseReason;

    @Column(name = "pause_count", insertable = false, updatable = false)
    public int pauseCount;

    @Column(name = "rollback_count", insertable = false, updatable = false)
    public int rollbackCount;

    @Column(name = "tier_history", columnDefinition = "jsonb", insertable = false, updatable = false)
    @ColumnTransformer(read = "tier_history::text")
    public String tierHistory;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    /** Guards concurrent changes: an update based on an older read changes no row and is refused. */
    @Version
    public long version;
}
