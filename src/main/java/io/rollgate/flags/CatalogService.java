package io.rollgate.flags;

import io.rollgate.engine.Catalog;
import io.rollgate.ops.ChangeListener;
import io.rollgate.ops.Changes;
import io.rollgate.ops.DatabaseUnavailableException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.ObservesAsync;
import io.rollgate.engine.FlagDefinition;
import io.rollgate.engine.Rollout;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/** Holds the in-memory catalog snapshot the engine reads; reloaded whole after every catalog change. */
@ApplicationScoped
public class CatalogService {

    private static final Logger LOG = Logger.getLogger(CatalogService.class);

    private final FlagCatalogRepository repository;
    private final Clock clock;
    private volatile Catalog current = Catalog.empty();
    private volatile boolean loaded;

    public CatalogService(FlagCatalogRepository repository, Clock clock) {
        this.repository = repository;
        this.clock = clock;
    }

    public Uni<Catalog> reload() {
        return Uni.combine().all().unis(repository.loadAll(), repository.loadRollouts(), repository.loadState())
                .asTuple()
                .map(all -> new Catalog(all.getItem1(), all.getItem2(), all.getItem3().version(),
                        all.getItem3().lastUpdated(), clock.instant()))
                .invoke(catalog -> {
                    current = catalog;
                    if (!loaded) {
                        LOG.infof("Flag catalog loaded: %d flags", catalog.size());
                    }
                    loaded = true;
                });
    }

    /** Sets kill-switch states in the current snapshot without a database read. */
    public void applyEnabled(Map<String, Boolean> enabledByKey) {
        Catalog snapshot = current;
        List<FlagDefinition> flags = snapshot.flags().stream()
                .map(flag -> enabledByKey.containsKey(flag.key()) ? flag.withEnabled(enabledByKey.get(flag.key())) : flag)
                .toList();
        current = snapshot.withFlags(flags, clock.instant());
    }

    /** Replaces one rollout in the current snapshot without a database read. */
    public void applyRollout(Rollout rollout) {
        Catalog snapshot = current;
        List<Rollout> rollouts = new java.util.ArrayList<>(snapshot.rollouts());
        rollouts.removeIf(existing -> existing.flagKey().equals(rollout.flagKey()));
        rollouts.add(rollout);
        current = snapshot.withRollouts(rollouts, clock.instant());
    }

    /** The current snapshot, empty before the first load; for readers that must not fail (metrics). */
    public Catalog snapshot() {
        return current;
    }

    /** A catalog change elsewhere (flags, kill switch, rollouts), or a resync after reconnecting. */
    void onChange(@ObservesAsync ChangeListener.ChangeEvent change) {
        if (loaded && (change.kind() == null || (change.kind() == Changes.Kind.CATALOG && !change.ownChange()))) {
            reload().subscribe().with(ignored -> { }, e -> LOG.warn("Catalog reload on a change notice failed", e));
        }
    }

    public boolean isLoaded() {
        return loaded;
    }

    /** The current snapshot; fails with 503 before the first load, when no answer can be trusted. */
    public Catalog require() {
        if (!loaded) {
            throw new DatabaseUnavailableException("The flag catalog has not been loaded yet", null);
        }
        return current;
    }
}
