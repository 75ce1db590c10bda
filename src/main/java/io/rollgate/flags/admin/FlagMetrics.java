package io.rollgate.flags.admin;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.rollgate.catalog.CatalogService;
import io.rollgate.engine.Catalog;
import io.rollgate.engine.FlagDefinition;
import io.rollgate.engine.Rollout;
import io.rollgate.engine.RolloutStatus;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Flag gauges under our prefix, read from the live snapshot so they are current after every
 * change: rollgate_feature_flag_enabled{name} and rollgate_feature_flag_rollout{name}.
 */
@ApplicationScoped
public class FlagMetrics {

    private final MeterRegistry registry;
    private final CatalogService catalogs;
    private final Set<String> registered = ConcurrentHashMap.newKeySet();

    public FlagMetrics(MeterRegistry registry, CatalogService catalogs) {
        this.registry = registry;
        this.catalogs = catalogs;
    }

    @Scheduled(every = "15s", delayed = "5s")
    public void sync() {
        for (FlagDefinition flag : catalogs.snapshot().flags()) {
            String name = flag.key();
            if (!registered.add(name)) {
                continue;
            }
            Gauge.builder("rollgate_feature_flag_enabled", () -> enabled(name))
                    .description("1 unless the flag is killed (deleted flags read NaN)").tag("name", name)
                    .register(registry);
            Gauge.builder("rollgate_feature_flag_rollout", () -> rollout(name))
                    .description("Share of customers the flag's percentage or rollout enables").tag("name", name)
                    .register(registry);
        }
    }

    private double enabled(String name) {
        return catalogs.snapshot().find(name).map(flag -> flag.enabled() ? 1.0 : 0.0).orElse(Double.NaN);
    }

    /** The flag's own percentage, else its started rollout's percentage, else 100 when on everywhere. */
    private double rollout(String name) {
        Catalog catalog = catalogs.snapshot();
        FlagDefinition flag = catalog.find(name).orElse(null);
        if (flag == null) {
            return Double.NaN;
        }
        Rollout rollout = catalog.rollout(name);
        if (rollout != null && rollout.status() != RolloutStatus.DRAFT) {
            return rollout.percentage();
        }
        if (flag.rolloutPercentage() != null) {
            return flag.rolloutPercentage();
        }
        return flag.enabled() ? 100 : 0;
    }
}
