package io.rollgate.flags.segments;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;
import org.hibernate.annotations.ColumnTransformer;

/** A row of segments: one named audience. The evaluation reads all of them with the flags, as one snapshot. */
@Entity
@Table(name = "segments")
public class SegmentRow {

    @Id
    @Column(name = "segment_key", columnDefinition = "text")
    public String key;

    @Column(columnDefinition = "text", nullable = false)
    public String description;

    // text[] under the name PostgreSQL reports it by, so the schema validation recognises it
    @Column(columnDefinition = "_text", nullable = false)
    public String[] included;

    @Column(columnDefinition = "_text", nullable = false)
    public String[] excluded;

    // JSON kept as its text, read and written through database.JsonColumns (one style for every JSONB column)
    @Column(columnDefinition = "jsonb", nullable = false)
    @ColumnTransformer(read = "rules::text", write = "?::text::jsonb")
    public String rules;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    /** Guards concurrent changes: an update or delete based on an older read is refused. */
    @Version
    public long version;
}
