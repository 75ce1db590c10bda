package io.rollgate.audit;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.Map;
import org.hibernate.annotations.ColumnTransformer;
import org.hibernate.annotations.Immutable;

/** A row of the append-only audit trail; the database refuses updates and deletes of it. */
@Entity
@Immutable
@Table(name = "feature_flag_changes")
public class AuditRecord {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "subject_type", columnDefinition = "text", nullable = false)
    public String subjectType;

    @Column(columnDefinition = "text", nullable = false)
    public String subject;

    @Column(columnDefinition = "text", nullable = false)
    public String scope;

    @Column(name = "customer_id", columnDefinition = "text")
    public String customerId;

    @Column(name = "organization_id", columnDefinition = "text")
    public String organizationId;

    @Column(name = "flag_path", columnDefinition = "text")
    public String flagPath;

    @Column(name = "old_value")
    public Boolean oldValue;

    @Column(name = "new_value")
    public Boolean newValue;

    @Column(name = "changed_by", columnDefinition = "text", nullable = false)
    public String changedBy;

    /** The transaction's time, set by the database. */
    @Column(name = "changed_at", insertable = false, updatable = false)
    public OffsetDateTime changedAt;

    @Column(columnDefinition = "text")
    public String reason;

    @Column(columnDefinition = "text", nullable = false)
    public String action;

    // JSON kept as its text, read and written through database.JsonColumns (one style for every JSONB column)
    @Column(columnDefinition = "jsonb")
    @ColumnTransformer(read = "details::text", write = "?::text::jsonb")
    public String details;

    static AuditRecord of(AuditEntry entry, String details) {
        AuditRecord record = new AuditRecord();
        record.subjectType = entry.subjectType();
        record.subject = entry.subject();
        record.scope = entry.scope();
        record.customerId = entry.customerId();
        record.organizationId = entry.organizationId();
        record.flagPath = entry.flagPath();
        record.oldValue = entry.oldValue();
        record.newValue = entry.newValue();
        record.changedBy = entry.changedBy();
        record.reason = entry.reason();
        record.action = entry.action() == null ? AuditEntry.SET : entry.action();
        record.details = details;
        return record;
    }

    AuditEntry toEntry(Map<String, Object> details) {
        return new AuditEntry(id, subjectType, subject, scope, customerId, organizationId, flagPath, oldValue,
                newValue, changedBy, changedAt, reason, action, details);
    }
}
