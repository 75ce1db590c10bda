package io.rollgate.canary;

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

/** A row of canary_deployments: one deployment of a version of a service, and where it stands. */
@Entity
@Table(name = "canary_deployments")
public class CanaryRow {

    @Id
    public UUID id;

    @Column(columnDefinition = "text", nullable = false, updatable = false)
    public String service;

    /** The version deployed (not the row's version, which is {@link #rowVersion}). */
    @Column(columnDefinition = "text", nullable = false, updatable = false)
    public String version;

    @Column(columnDefinition = "text", nullable = false, updatable = false)
    public String strategy;

    @Column(columnDefinition = "jsonb", nullable = false, updatable = false)
    @ColumnTransformer(read = "stages::text", write = "?::text::jsonb")
    public String stages;

    @Column(name = "current_stage", nullable = false)
    public int currentStage;

    @JdbcTypeCode(SqlTypes.SMALLINT)
    @Column(nullable = false)
    public int percentage;

    @Column(columnDefinition = "text", nullable = false)
    public String status;

    @Column(name = "started_at", nullable = false, updatable = false)
    public Instant startedAt;

    @Column(name = "stage_started_at", nullable = false)
    public Instant stageStartedAt;

    @Column(name = "finished_at")
    public Instant finishedAt;

    @Column(name = "rollback_reason", columnDefinition = "text")
    public String rollbackReason;

    /** The stage metrics kept when the deployment finished; null while it is in flight. */
    // JSON kept as its text, read and written through database.JsonColumns (one style for every JSONB column)
    @Column(name = "final_metrics", columnDefinition = "jsonb")
    @ColumnTransformer(read = "final_metrics::text", write = "?::text::jsonb")
    public String finalMetrics;

    /** Guards concurrent control actions. */
    @Version
    @Column(name = "row_version", nullable = false)
    public long rowVersion;
}
