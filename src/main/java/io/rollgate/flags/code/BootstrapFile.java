package io.rollgate.flags.code;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.vertx.VertxContextSupport;
import io.rollgate.catalog.CatalogService;
import io.rollgate.errors.ConflictException;
import io.rollgate.flags.FlagsConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * A new environment comes up with its flags: the configuration document named by
 * {@code rollgate.flags.bootstrap-file} is applied once, while the catalog is still at the version the
 * migrations left it (nobody has changed a flag through the service yet). Replicas starting together
 * race for it; the catalog version lets exactly one apply it.
 */
@ApplicationScoped
public class BootstrapFile {

    private static final Logger LOG = Logger.getLogger(BootstrapFile.class);
    /** The catalog version the migrations leave: no flag written through the service yet. */
    static final long UNTOUCHED_CATALOG = 1;
    static final String ACTOR = "system:bootstrap";

    private final FlagsConfig config;
    private final ConfigurationService configurations;
    private final CatalogService catalogs;
    private final ObjectMapper json;

    public BootstrapFile(FlagsConfig config, ConfigurationService configurations, CatalogService catalogs,
            ObjectMapper json) {
        this.config = config;
        this.configurations = configurations;
        this.catalogs = catalogs;
        this.json = json;
    }

    /** Blocking: called by startup on a worker thread, after the first catalog load. */
    public void applyIfUntouched(Duration timeout) {
        if (config.bootstrapFile().isEmpty() || catalogs.snapshot().version() != UNTOUCHED_CATALOG) {
            return;
        }
        Path file = Path.of(config.bootstrapFile().get());
        ConfigurationDocument document;
        try {
            document = json.readValue(Files.readString(file), ConfigurationDocument.class);
        } catch (IOException e) {
            LOG.errorf("Bootstrap file %s cannot be read as a configuration document: %s", file, e.getMessage());
            return;
        }
        String reason = document.reason() != null ? document.reason() : "Bootstrap file " + file.getFileName();
        ConfigurationDocument atStart = new ConfigurationDocument(document.flags(), document.segments(), null,
                UNTOUCHED_CATALOG, reason);
        try {
            // a Hibernate Reactive transaction needs a Vert.x context, which a startup thread has not
            ConfigurationPlan plan = VertxContextSupport.subscribeAndAwait(() -> configurations
                    .apply(atStart, false, Set.of(), false, ACTOR).ifNoItem().after(timeout).fail());
            LOG.infof("Bootstrap file %s applied: %d flags created, %d updated", file, plan.created().size(),
                    plan.updated().size());
        } catch (ConflictException e) {
            LOG.infof("Bootstrap file %s not applied: another replica applied it, or the catalog changed", file);
        } catch (Throwable e) {
            LOG.errorf("Bootstrap file %s not applied: %s", file, e.getMessage());
        }
    }
}
