package io.rollgate.flags.admin;

import io.rollgate.audit.AuditEntry;
import io.rollgate.audit.AuditedChanges;
import io.rollgate.audit.AuditedChanges.Outcome;
import io.rollgate.catalog.CatalogService;
import io.rollgate.http.WarmUpRequests;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jboss.logging.Logger;

/**
 * The global emergency switch: a killed flag is false for every customer, whatever their
 * overrides. Changes and their audit rows commit together; the snapshot reloads afterwards.
 */
@ApplicationScoped
public class KillSwitchService {

    private static final Logger LOG = Logger.getLogger(KillSwitchService.class);

    private final FlagRepository repository;
    private final CatalogService catalogs;
    private final AuditedChanges changes;

    public KillSwitchService(FlagRepository repository, CatalogService catalogs, AuditedChanges changes) {
        this.changes = changes;
        this.repository = repository;
        this.catalogs = catalogs;
    }

    /** Sets each flag's enabled state (canonical keys); returns one audit entry per flag that changed. */
    public Uni<List<AuditEntry>> apply(Map<String, Boolean> enabledByKey, String reason, String actor) {
        return changes.write(() -> Multi.createFrom().iterable(enabledByKey.entrySet())
                .onItem().transformToUniAndConcatenate(entry -> repository.lockEnabled(entry.getKey())
                        .chain(before -> {
                            if (Objects.equals(before, entry.getValue())) {
                                return Uni.createFrom().<AuditEntry>nullItem();
                            }
                            return repository.setEnabled(entry.getKey(), entry.getValue())
                                    .replaceWith(AuditEntry.killSwitch(entry.getKey(), before,
                                            entry.getValue(), actor, reason));
                        }))
                .collect().asList()
                .call(entries -> entries.isEmpty()
                        ? Uni.createFrom().voidItem()
                        : repository.bumpCatalogVersion())
                .map(entries -> Outcome.of(entries, entries)))
                .map(Outcome::entries)
                .call(entries -> entries.isEmpty() ? Uni.createFrom().voidItem() : catalogs.refresh().replaceWithVoid())
                .invoke(entries -> {
                    if (!WarmUpRequests.rehearsing()) { // a starting replica rehearses one a second, rolled back
                        entries.forEach(entry -> LOG.infof("Global flag switch: %s %s by %s (%s)", entry.flagPath(),
                                entry.newValue() ? "enabled" : "killed", actor, reason));
                    }
                });
    }
}
