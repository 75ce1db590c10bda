package io.rollgate.flags;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** Flags as code and flag hygiene. */
@ConfigMapping(prefix = "rollgate.flags")
public interface FlagsConfig {

    /** A configuration document applied at startup while the catalog is still as the migrations left it. */
    Optional<String> bootstrapFile();

    /** A flag that has served one value to everyone this long (killed, or fully rolled out) is potentially stale. */
    @WithDefault("14d")
    Duration staleAfter();

    /** A flag nobody has evaluated this long is potentially stale. */
    @WithDefault("30d")
    Duration unusedAfter();

    /** How often each replica records which flags it evaluated, and staleness is worked out again. */
    @WithDefault("1m")
    Duration usageInterval();
}
