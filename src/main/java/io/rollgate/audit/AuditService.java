package io.rollgate.audit;

import io.rollgate.catalog.CatalogService;
import io.rollgate.database.Database;
import io.rollgate.engine.FlagDefinition;
import io.rollgate.engine.Ids;
import io.rollgate.errors.InvalidInputException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/** Reads the audit trail: filters validated, rollout names translated to flag paths. */
@ApplicationScoped
public class AuditService {

    private final AuditRepository repository;
    private final CatalogService catalogs;
    private final Database database;

    public AuditService(AuditRepository repository, CatalogService catalogs, Database database) {
        this.repository = repository;
        this.catalogs = catalogs;
        this.database = database;
    }

    /** How many of the latest entries the filter values are gathered from. */
    static final int VALUES_WINDOW = 10_000;

    /** The actions and actors the filters can offer, from the latest entries. */
    public Uni<AuditValues> values() {
        database.requireUp();
        return database.bounded(repository.recentValues(VALUES_WINDOW));
    }

    public Uni<AuditPage> find(AuditFilter filter, int page, int size) {
        Ids.optional("customerId", filter.customerId());
        Ids.optional("organizationId", filter.organizationId());
        if (filter.subjectType() != null && !AuditEntry.Subjects.ALL.contains(filter.subjectType())) {
            throw new InvalidInputException("subjectType",
                    "must be one of " + String.join(", ", AuditEntry.Subjects.ALL));
        }
        bounded("subject", filter.subject());
        bounded("changedBy", filter.changedBy());
        bounded("action", filter.action());
        bounded("flagPrefix", filter.flagPrefix());
        if (filter.from() != null && filter.to() != null && !filter.from().isBefore(filter.to())) {
            throw new InvalidInputException("to", "must be after from");
        }
        AuditFilter canonical = filter.withFlagPath(canonical(filter.flagPath()));
        database.requireUp();
        return database.bounded(repository.find(canonical, page, size));
    }

    /** Parses a time filter: an ISO-8601 instant such as 2026-12-01T00:00:00Z. */
    public static Instant time(String field, String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            throw new InvalidInputException(field, "must be an ISO-8601 time with its offset, such as "
                    + "2026-12-01T00:00:00Z");
        }
    }

    private static void bounded(String field, String value) {
        if (value != null && (value.isEmpty() || value.length() > 256)) {
            throw new InvalidInputException(field, "must be 1-256 characters");
        }
    }

    /** Rollout names are translated to flag paths; paths of flags since deleted are searched as given. */
    private String canonical(String flagPath) {
        if (flagPath == null) {
            return null;
        }
        bounded("flagPath", flagPath);
        return catalogs.require().find(flagPath).map(FlagDefinition::key).orElse(flagPath);
    }
}
