package io.rollgate.security;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.Optional;

/** Bearer tokens from configuration (a Kubernetes Secret in production). Never logged. */
@ConfigMapping(prefix = "rollgate.security")
public interface SecurityConfig {

    /** Token with the admin role: every admin read and write. */
    Optional<String> adminToken();

    /** Token with the viewer role: admin reads only. */
    Optional<String> viewerToken();

    /** Token with the ingest role, for reporters of rollout events and canary metrics. */
    Optional<String> ingestToken();

    /** How often a replica writes when tokens were last used (listed with the tokens). */
    @WithDefault("1m")
    java.time.Duration usageWriteInterval();

    /** Whether OFREP and flag evaluation need a token with the evaluation (or admin) role. */
    @WithDefault("false")
    boolean evaluationRequiresToken();
}
