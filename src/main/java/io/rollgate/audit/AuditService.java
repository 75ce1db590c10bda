package io.rollgate.audit;

import io.rollgate.catalog.CatalogService;
import io.rollgate.database.Database;
import io.rollgate.engine.FlagDefinition;
import io.rollgate.engine.Ids;
import io.rollgate.engine.InvalidInputException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** Reads the audit trail: filters validated, rollout names translated to flag paths. */
@ApplicationScoped
public class AuditService {

    static final int MAX_PAGE_SIZE = 200;
    /** Deeper than this, an offset page costs the database more than anyone reads: filter instead. */
    static final int MAX_PAGE = 100_000;

    private final AuditRepository repository;
    private final CatalogService catalogs;
    private final Database database;

    public AuditService(AuditRepository repository, CatalogService catalogs, Database database) {
        this.repository = repository;
        this.catalogs = catalogs;
        this.database = database;
    }

    public Uni<AuditPage> find(AuditFilter filter, int page, int size) {
        Ids.optional("customerId", filter.customerId());
        Ids.optional("organizationId", filter.organizationId());
        if (page < 0 || page > MAX_PAGE) {
            throw new InvalidInputException("page", "must be between 0 and " + MAX_PAGE);
        }
        if (size < 1 || size > MAX_PAGE_SIZE) {
            throw new InvalidInputException("size", "must be between 1 and " + MAX_PAGE_SIZE);
        }
        if (filter.subjectType() != null && !AuditEntry.Subjects.ALL.contains(filter.subjectType())) {
            throw new InvalidInputException("subjectType",
                    "must be one of " + String.join(", ", AuditEntry.Subjects.ALL));
        }
        if (filter.subject() != null && (filter.subject().isEmpty() || filter.subject().length() > 256)) {
            throw new InvalidInputException("subject", "must be 1-256 characters");
        }
        AuditFilter canonical = new AuditFilter(filter.customerId(), filter.organizationId(),
                canonical(filter.flagPath()), filter.subjectType(), filter.subject());
        database.requireUp();
        return database.bounded(repository.find(canonical, page, size));
    }

    /** Rollout names are translated to flag paths; paths of flags since deleted are searched as given. */
    private String canonical(String flagPath) {
        if (flagPath == null) {
            return null;
        }
        if (flagPath.isEmpty() || flagPath.length() > 256) {
            throw new InvalidInputException("flagPath", "must be 1-256 characters");
        }
        return catalogs.require().find(flagPath).map(FlagDefinition::key).orElse(flagPath);
    }
}
