package io.rollgate.evaluation;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** How widget configurations are kept ready to serve and how long browsers and CDNs may keep them. */
@ConfigMapping(prefix = "rollgate.widget")
public interface WidgetSettings {

    /**
     * Memory for rendered configurations (the answer's bytes per customer and organization, kept from the second
     * time they are asked for and reused until the catalog or one of their override documents changes); beyond it
     * the least recently used are rendered again.
     */
    @WithDefault("16M")
    MemorySize renderedCacheSize();

    /** Cache-Control max-age of a configuration: how long a browser or CDN may reuse it without asking. */
    @WithDefault("5m")
    Duration maxAge();
}
