package io.rollgate.flags.segments;

import io.rollgate.audit.AuditEntry;
import io.rollgate.audit.AuditedChanges;
import io.rollgate.audit.AuditedChanges.Outcome;
import io.rollgate.audit.Reasons;
import io.rollgate.catalog.CatalogService;
import io.rollgate.engine.Catalog;
import io.rollgate.engine.Segment;
import io.rollgate.engine.SegmentValidation;
import io.rollgate.errors.ConflictException;
import io.rollgate.errors.InvalidInputException;
import io.rollgate.errors.NotFoundException;
import io.rollgate.flags.DefinitionLock;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Segments: create, change, delete. Reads come from the catalog snapshot the evaluation serves; each write holds the
 * definitions lock (so no flag can start naming a segment while it is deleted), is guarded by the segment's version,
 * is audited in its transaction, and is served from a reloaded snapshot.
 */
@ApplicationScoped
public class SegmentService {

    private static final Logger LOG = Logger.getLogger(SegmentService.class);

    private final SegmentRepository repository;
    private final DefinitionLock lock;
    private final CatalogService catalogs;
    private final AuditedChanges changes;

    public SegmentService(SegmentRepository repository, DefinitionLock lock, CatalogService catalogs,
            AuditedChanges changes) {
        this.repository = repository;
        this.lock = lock;
        this.catalogs = catalogs;
        this.changes = changes;
    }

    public List<SegmentView> list() {
        Catalog catalog = catalogs.require();
        return catalog.segments().stream().map(segment -> SegmentView.of(segment, catalog)).toList();
    }

    public SegmentView get(String key) {
        Catalog catalog = catalogs.require();
        return SegmentView.of(existing(catalog, key), catalog);
    }

    public Uni<SegmentView> create(SegmentRequest request, String actor) {
        Segment segment = SegmentValidation.segment(request == null ? null : request.draft(), 0);
        if (catalogs.require().segment(segment.key()) != null) {
            throw new ConflictException("A segment named " + segment.key() + " already exists");
        }
        return write(segment.key(), () -> repository.insert(segment).map(created -> {
            if (!created) {
                throw new ConflictException("A segment named " + segment.key() + " already exists");
            }
            return entry(segment.key(), "segment.create", null, segment, request.reason(), actor);
        }));
    }

    public Uni<SegmentView> update(String key, SegmentRequest request, String actor) {
        Segment before = existing(catalogs.require(), key);
        if (request != null && request.key() != null && !request.key().equals(key)) {
            throw new InvalidInputException("key", "cannot change; create a new segment instead");
        }
        Segment after = SegmentValidation.segment(request == null ? null : request.draft(key), before.version());
        long expected = expectedVersion(before, request == null ? null : request.version());
        if (after.equals(before)) {
            return Uni.createFrom().item(get(key));
        }
        return write(key, () -> repository.update(after, expected).map(updated -> {
            stale(updated, key);
            return entry(key, "segment.update", before, after, request.reason(), actor);
        }));
    }

    public Uni<Void> delete(String key, Long version, String reason, String actor) {
        Segment before = existing(catalogs.require(), key);
        long expected = expectedVersion(before, version);
        return write(key, () -> repository.flagsNaming(key).chain(flags -> {
            if (!flags.isEmpty()) {
                return Uni.createFrom().failure(new ConflictException("Segment " + key + " is named by the rules "
                        + "of " + String.join(", ", flags) + "; remove it from them first"));
            }
            return repository.delete(key, expected).map(deleted -> {
                stale(deleted, key);
                return entry(key, "segment.delete", before, null, reason, actor);
            });
        })).replaceWithVoid();
    }

    /** Runs one segment change under the definitions lock with its audit entry, then serves the reloaded snapshot. */
    private Uni<SegmentView> write(String key, Supplier<Uni<AuditEntry>> change) {
        return changes.write(() -> lock.hold().chain(() -> change.get()).map(entry -> Outcome.of(key, entry)))
                .call(ignored -> catalogs.refresh())
                .invoke(outcome -> LOG.infof("Segment %s: %s by %s", outcome.entries().get(0).action()
                        .substring("segment.".length()), key, outcome.entries().get(0).changedBy()))
                .map(ignored -> {
                    Catalog catalog = catalogs.snapshot();
                    Segment now = catalog.segment(key);
                    return now == null ? null : SegmentView.of(now, catalog);
                });
    }

    private static AuditEntry entry(String key, String action, Segment before, Segment after, String reason,
            String actor) {
        Reasons.optional(reason);
        Map<String, Object> details = new LinkedHashMap<>();
        if (before != null) {
            details.put("before", SegmentView.of(before, Catalog.empty()));
        }
        if (after != null) {
            details.put("after", SegmentView.of(after, Catalog.empty()));
        }
        return AuditEntry.segment(key, action, details, actor, reason);
    }

    private static Segment existing(Catalog catalog, String key) {
        Segment segment = catalog.segment(key);
        if (segment == null) {
            throw new NotFoundException("No segment named " + key);
        }
        return segment;
    }

    private static long expectedVersion(Segment current, Long requested) {
        if (requested != null && requested != current.version()) {
            throw new ConflictException("Segment " + current.key() + " is at version " + current.version()
                    + ", not " + requested + "; read it again and retry");
        }
        return current.version();
    }

    private static void stale(boolean written, String key) {
        if (!written) {
            throw new ConflictException("Segment " + key + " changed concurrently; read it again and retry");
        }
    }
}
