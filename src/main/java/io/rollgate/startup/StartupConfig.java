package io.rollgate.startup;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** How a replica becomes ready. */
@ConfigMapping(prefix = "rollgate.startup")
public interface StartupConfig {

    /**
     * How long at most a starting replica sends itself widget config requests before it reports ready, so the
     * JIT has compiled the hot path when the Service routes traffic to it; it stops earlier once the JIT has
     * settled. 0 to skip. A native executable skips it whatever this says: it has no JIT to warm.
     */
    @WithDefault("30s")
    Duration warmUp();

    /**
     * Whether the warm-up also rehearses a change and its fan-out, so the first change after start reaches open
     * streams as fast as later ones. It loads and keeps the write path's classes and code: false saves that memory
     * where no change is urgent.
     */
    @WithDefault("true")
    boolean rehearseChanges();
}
