package io.rollgate.startup;

import io.rollgate.catalog.CatalogService;
import io.rollgate.database.ChangeFeed;
import io.rollgate.database.Database;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready once migrations ran, the catalog was loaded and the hot path warmed up, and stays ready while the database is down:
 * every replica can still answer from last known good data, so Kubernetes must not pull them all out.
 * The database state is reported in the data.
 */
@Readiness
@ApplicationScoped
public class ReadinessCheck implements HealthCheck {

    private final CatalogService catalogs;
    private final Bootstrap bootstrap;
    private final Database database;
    private final ChangeFeed changes;

    public ReadinessCheck(CatalogService catalogs, Bootstrap bootstrap, Database database, ChangeFeed changes) {
        this.changes = changes;
        this.catalogs = catalogs;
        this.bootstrap = bootstrap;
        this.database = database;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder builder = HealthCheckResponse.named("rollgate")
                .status(bootstrap.isReady())
                .withData("migrated", bootstrap.isMigrated())
                .withData("catalogLoaded", catalogs.isLoaded())
                .withData("warmedUp", bootstrap.isWarmedUp())
                .withData("database", database.isUp() ? "UP" : "DOWN")
                .withData("listeningForChanges", changes.isListening())
                .withData("revision", catalogs.snapshot().revision())
                .withData("appliedRevision", changes.appliedRevision())
                .withData("databaseRevision", changes.databaseRevision())
                .withData("revisionLag", changes.lag());
        if (catalogs.isLoaded()) {
            builder.withData("flags", catalogs.require().size());
        }
        if (bootstrap.lastFailure() != null) {
            builder.withData("lastFailure", bootstrap.lastFailure());
        }
        return builder.build();
    }
}
