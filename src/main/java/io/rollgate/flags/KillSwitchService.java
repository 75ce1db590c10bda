package io.rollgate.flags;

import io.rollgate.catalog.CatalogService;
import io.rollgate.catalog.FlagCatalogRepository;
import io.rollgate.audit.AuditEntry;
import io.rollgate.audit.AuditRepository;
import io.rollgate.database.Database;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jboss.logging.Logger;

/**
 * The global emergency switch of seed 003: a killed flag is false for every customer, whatever their
 * overrides. Changes and their audit rows commit together; the snapshot reloads afterwards.
 */
@ApplicationScoped
public class KillSwitchService {

    private static final Logger LOG = Logger.getLogger(KillSwitchService.class);

    private final Pool pool;
    private final FlagCatalogRepository repository;
    private final AuditRepository audit;
    private final CatalogService catalogs;
    private final Database database;

    public KillSwitchService(Pool pool, FlagCatalogRepository repository, AuditRepository audit,
            CatalogService catalogs, Database database) {
        this.pool = pool;
        this.repository = repository;
        this.audit = audit;
        this.catalogs = catalogs;
        this.database = database;
    }

    /** Sets each flag's enabled state (canonical keys); returns one audit entry per flag that changed. */
    public Uni<List<AuditEntry>> apply(Map<String, Boolean> enabledByKey, String reason, String actor) {
        database.requireUp();
        return pool.withTransaction(connection -> Multi.createFrom().iterable(enabledByKey.entrySet())
                        .onItem().transformToUniAndConcatenate(entry -> repository.lockEnabled(connection, entry.getKey())
                                .chain(before -> {
                                    if (Objects.equals(before, entry.getValue())) {
                                        return Uni.createFrom().<AuditEntry>nullItem();
                                    }
                                    return repository.setEnabled(connection, entry.getKey(), entry.getValue())
                                            .replaceWith(AuditEntry.change("global", null, null, entry.getKey(),
                                                    before, entry.getValue(), actor, reason));
                                }))
                        .collect().asList()
                        .call(entries -> entries.isEmpty() ? Uni.createFrom().voidItem()
                                : repository.bumpVersion(connection).chain(() -> audit.append(connection, entries))))
                .plug(database::bounded)
                .call(entries -> entries.isEmpty() ? Uni.createFrom().voidItem() : catalogs.refresh().replaceWithVoid())
                .invoke(entries -> entries.forEach(entry -> LOG.infof(
                        "Global flag switch: %s %s by %s (%s)", entry.flagPath(),
                        entry.newValue() ? "enabled" : "killed", actor, reason)));
    }
}
