package io.rollgate.live;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Open streams of changes: how many a replica holds and how it keeps them alive. */
@ConfigMapping(prefix = "rollgate.live")
public interface LiveConfig {

    /** Streams one replica holds at most; beyond it a new one is 503 with Retry-After (the client polls). */
    @WithDefault("20000")
    int maxStreams();

    /** How often an idle stream gets a comment line, so proxies and load balancers keep the connection. */
    @WithDefault("25s")
    Duration heartbeat();

    /** Events a stream may have unwritten before it counts as a slow reader and is closed. */
    @WithDefault("16")
    int maxPendingEvents();
}
