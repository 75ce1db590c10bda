package io.rollgate.startup;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.rollgate.catalog.CatalogService;
import io.rollgate.database.ChangeFeed;
import io.rollgate.database.DatabaseConfig;
import io.rollgate.events.EventRetentionJob;
import io.rollgate.flags.code.BootstrapFile;
import io.rollgate.overrides.OverrideCache;
import io.rollgate.overrides.OverridesConfig;
import io.rollgate.overrides.Scope;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.jboss.logging.Logger;

/**
 * Brings the service to ready: database (created when allowed), Flyway migrations, first catalog load.
 * Tried once at start; if PostgreSQL is not there yet the service still starts, reports not ready and
 * keeps trying, instead of crash-looping.
 */
@ApplicationScoped
public class Bootstrap {

    private static final Logger LOG = Logger.getLogger(Bootstrap.class);
    private static final Pattern JDBC_URL = Pattern.compile("(jdbc:postgresql://[^/]+/)([A-Za-z0-9_]+)(.*)");
    private static final Duration LOAD_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration LISTEN_WAIT = Duration.ofSeconds(2);

    private final Flyway flyway;
    private final BootstrapFile bootstrapFile;
    private final CatalogService catalogs;
    private final OverrideCache overrides;
    private final OverridesConfig overridesConfig;
    private final WarmUp warmUp;
    private final ChangeFeed feed;
    private final EventRetentionJob eventRetention;
    private final DatabaseConfig config;
    private final Optional<String> jdbcUrl;
    private final Optional<String> username;
    private final Optional<String> password;
    private volatile boolean migrated;
    private volatile String lastFailure;

    public Bootstrap(Flyway flyway, CatalogService catalogs, DatabaseConfig config,
            @ConfigProperty(name = "quarkus.datasource.jdbc.url") Optional<String> jdbcUrl,
            @ConfigProperty(name = "quarkus.datasource.username") Optional<String> username,
            @ConfigProperty(name = "quarkus.datasource.password") Optional<String> password, MeterRegistry registry,
            BootstrapFile bootstrapFile, OverrideCache overrides, OverridesConfig overridesConfig, WarmUp warmUp,
            ChangeFeed feed, EventRetentionJob eventRetention) {
        this.feed = feed;
        this.eventRetention = eventRetention;
        this.warmUp = warmUp;
        this.overrides = overrides;
        this.overridesConfig = overridesConfig;
        this.bootstrapFile = bootstrapFile;
        Gauge.builder("rollgate_ready", this, b -> b.isReady() ? 1 : 0)
                .description("1 once migrations ran, the first snapshot loaded and the hot path warmed (readiness)")
                .register(registry);
        this.flyway = flyway;
        this.catalogs = catalogs;
        this.config = config;
        this.jdbcUrl = jdbcUrl;
        this.username = username;
        this.password = password;
    }

    void onStart(@Observes StartupEvent event) {
        tryToBecomeReady();
    }

    /** Runs on a worker thread: Flyway and JDBC block. */
    @Scheduled(every = "${rollgate.database.bootstrap-retry}", delayed = "2s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void retry() {
        if (!catalogs.isLoaded()) {
            tryToBecomeReady();
        }
    }

    /** Ready to take traffic: migrated, the catalog loaded, the hot path warmed up. */
    boolean isReady() {
        return catalogs.isLoaded() && warmUp.isDone();
    }

    boolean isWarmedUp() {
        return warmUp.isDone();
    }

    boolean isMigrated() {
        return migrated;
    }

    String lastFailure() {
        return lastFailure;
    }

    private synchronized void tryToBecomeReady() {
        if (catalogs.isLoaded()) {
            return;
        }
        try {
            if (!migrated) {
                if (config.createIfMissing()) {
                    createDatabaseIfMissing();
                }
                var result = flyway.migrate();
                // targetSchemaVersion is null when nothing was applied; then the history table knows it
                Object version = result.targetSchemaVersion;
                if (version == null) {
                    MigrationInfo current = flyway.info().current();
                    version = current == null ? "none" : current.getVersion();
                }
                LOG.infof("Schema migrated: %d migration(s) applied, now at version %s", result.migrationsExecuted,
                        version);
                migrated = true;
                prepareEventDays();
            }
            // LISTEN first: a change committed while the documents and the catalog are read is then heard; should it
            // not open in time, the change feed still starts no later than the first of those reads
            if (!feed.awaitListening(LISTEN_WAIT)) {
                LOG.infof("Not listening for changes yet after %d ms; changes made during the start-up reads are "
                        + "replayed from the change log", LISTEN_WAIT.toMillis());
            }
            preloadOverrides();
            catalogs.reload().await().atMost(LOAD_TIMEOUT);
            bootstrapFile.applyIfUntouched(LOAD_TIMEOUT);
            warmUp.start(overrides.preloaded(Scope.CUSTOMER), overrides.preloaded(Scope.ORGANIZATION));
            lastFailure = null;
        } catch (RuntimeException e) {
            String failure = e.getClass().getSimpleName() + ": " + e.getMessage();
            if (!failure.equals(lastFailure)) {
                LOG.warnf("Not ready yet, will retry: %s", failure);
            }
            lastFailure = failure;
        }
    }

    /**
     * The days raw events are stored in, made here too and not only by the hourly job: a fleet that was stopped for
     * days would otherwise refuse events until the job's first run. Not a reason to stay unready.
     */
    private void prepareEventDays() {
        try {
            int created = eventRetention.prepareDays().await().atMost(LOAD_TIMEOUT);
            if (created > 0) {
                LOG.infof("Raw events: %d day(s) made ready", created);
            }
        } catch (RuntimeException e) {
            LOG.warnf("Raw events' days not prepared (the hourly job retries): %s", e.getMessage());
        }
    }

    /** Before ready: a replica added under load answers its first requests from memory, not one query each. */
    private void preloadOverrides() {
        long start = System.nanoTime();
        try {
            int loaded = overrides.preload(overridesConfig.preload()).await().atMost(LOAD_TIMEOUT);
            LOG.infof("Override documents loaded: %d in %d ms; every document in memory: customers %s, "
                    + "organizations %s (ids without one are then answered without a read)", loaded,
                    (System.nanoTime() - start) / 1_000_000,
                    overrides.knowsEveryDocument(Scope.CUSTOMER) ? "yes" : "no",
                    overrides.knowsEveryDocument(Scope.ORGANIZATION) ? "yes" : "no");
        } catch (RuntimeException e) {
            // not a reason to stay unready: the documents are read on first use instead
            LOG.warnf("Override documents not preloaded: %s", e.getMessage());
        }
    }

    /** Creates the database the JDBC URL names, connecting to the maintenance database "postgres". */
    private void createDatabaseIfMissing() {
        Matcher matcher = jdbcUrl.map(JDBC_URL::matcher).filter(Matcher::matches).orElse(null);
        if (matcher == null) {
            return;
        }
        String database = matcher.group(2);
        Properties properties = new Properties();
        username.ifPresent(user -> properties.setProperty("user", user));
        password.ifPresent(secret -> properties.setProperty("password", secret));
        try (Connection connection = new org.postgresql.Driver()
                .connect(matcher.group(1) + "postgres" + matcher.group(3), properties)) {
            try (PreparedStatement exists = connection.prepareStatement(
                    "SELECT 1 FROM pg_database WHERE datname = ?")) {
                exists.setString(1, database);
                try (ResultSet rows = exists.executeQuery()) {
                    if (rows.next()) {
                        return;
                    }
                }
            }
            try (Statement create = connection.createStatement()) {
                // the name is checked by JDBC_URL to be [A-Za-z0-9_]+, so quoting it is safe
                create.executeUpdate("CREATE DATABASE \"" + database + "\"");
                LOG.infof("Created database %s", database);
            }
        } catch (SQLException e) {
            // 42P04: created by a concurrent replica in the meantime
            if (!"42P04".equals(e.getSQLState())) {
                throw new IllegalStateException("Could not create database " + database + ": " + e.getMessage(), e);
            }
        }
    }
}
