package io.rollgate.flags.admin;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;
import org.hibernate.annotations.ColumnTransformer;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** A row of feature_flags: one flag's definition. The evaluation reads all of them as one snapshot. */
@Entity
@Table(name = "feature_flags")
public class FlagRow {

    @Id
    @Column(name = "flag_key", columnDefinition = "text")
    public String key;

    /** The widget flags' rollout names; set by migrations, never by the API. */
    @Column(columnDefinition = "text", insertable = false, updatable = false)
    public String alias;

    @Column(columnDefinition = "text", nullable = false)
    public String description;

    @Column(name = "flag_group", columnDefinition = "text", nullable = false)
    public String group;

    /** False is the kill switch. */
    @Column(nullable = false)
    public boolean enabled;

    @Column(name = "default_value", nullable = false)
    public boolean defaultValue;

    // JSON kept as its text, read and written through database.JsonColumns (one style for every JSONB column)
    @Column(name = "environment_defaults", columnDefinition = "jsonb", nullable = false)
    @ColumnTransformer(read = "environment_defaults::text", write = "?::text::jsonb")
    public String environmentDefaults;

    // text[] under the name PostgreSQL reports it by, so the schema validation recognises it
    @Column(columnDefinition = "_text", nullable = false)
    public String[] prerequisites;

    @Column(columnDefinition = "jsonb", nullable = false)
    @ColumnTransformer(read = "rules::text", write = "?::text::jsonb")
    public String rules;

    /** A typed flag's {type, variants, defaultVariant, split}; null for a boolean flag. */
    @Column(columnDefinition = "jsonb")
    @ColumnTransformer(read = "variants::text", write = "?::text::jsonb")
    public String variants;

    @JdbcTypeCode(SqlTypes.SMALLINT)
    @Column(name = "rollout_percentage")
    public Integer rolloutPercentage;

    @Column(name = "sort_order", nullable = false)
    public int sortOrder;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    /** Guards concurrent changes: an update or delete based on an older read is refused. */
    @Version
    public long version;
}
