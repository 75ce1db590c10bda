package io.rollgate.http;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.List;
import java.util.Optional;

/**
 * What the HTTP edge enforces: body limits (quarkus.http.limits.max-body-size is the hard cap), CORS for
 * the widget-facing endpoints, and per-client rate limits on the public ones.
 */
@ConfigMapping(prefix = "rollgate.http")
public interface HttpLimitsConfig {

    /** Largest body of any request but event ingestion. */
    @WithDefault("64K")
    MemorySize maxBodySize();

    /** Largest body of POST /api/rollout-events (a batch of up to rollgate.events.max-batch-size events). */
    @WithDefault("1M")
    MemorySize maxIngestBodySize();

    /** Origins allowed to call the widget-facing endpoints from a browser; "*" allows any. None by default. */
    Optional<List<String>> corsOrigins();

    /** Per-client rate limit on public endpoints. */
    RateLimit rateLimit();

    interface RateLimit {

        /** Whether public endpoints are rate limited per client. */
        @WithDefault("true")
        boolean enabled();

        /** Sustained requests per second per client. */
        @WithDefault("50")
        double requestsPerSecond();

        /** Requests a client may send in a burst above the sustained rate. */
        @WithDefault("100")
        double burst();

        /** Most clients tracked at once; beyond, the idlest are forgotten (memory stays bounded). */
        @WithDefault("100000")
        long maxClients();
    }
}
