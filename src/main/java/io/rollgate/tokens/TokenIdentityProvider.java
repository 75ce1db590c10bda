package io.rollgate.tokens;

import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.TokenAuthenticationRequest;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.rollgate.http.WarmUpRequests;
import io.rollgate.security.Roles;
import io.rollgate.security.SecurityConfig;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Checks a bearer token: a managed token ({@code rg_<id>_<secret>}, salted hash in PostgreSQL, not
 * revoked, not expired), or one of the tokens in configuration (the bootstrap admin token among them).
 * Comparisons are constant-time; neither content nor length leaks through timing.
 */
@ApplicationScoped
public class TokenIdentityProvider implements IdentityProvider<TokenAuthenticationRequest> {

    private static final Logger LOG = Logger.getLogger(TokenIdentityProvider.class);

    private static final class Known {

        private final byte[] digest;
        private final String principal;
        private final String role;

        Known(byte[] digest, String principal, String role) {
            this.digest = digest;
            this.principal = principal;
            this.role = role;
        }

        byte[] digest() {
            return digest;
        }

        String principal() {
            return principal;
        }

        String role() {
            return role;
        }
    }

    private final List<Known> known = new ArrayList<>();
    private final List<String> weak = new ArrayList<>();
    private final String profile;
    private final TokenStore store;
    private final Clock clock;
    private final TokenUse use;
    private final WarmUpRequests warmUps;
    private final byte[] warmUpDigest;
    private final SecurityIdentity rehearsal = QuarkusSecurityIdentity.builder()
            .setPrincipal(new QuarkusPrincipal(WarmUpRequests.PRINCIPAL)).addRole(Roles.OPERATOR).build();

    public TokenIdentityProvider(SecurityConfig config, TokenStore store, Clock clock, TokenUse use,
            WarmUpRequests warmUps, @ConfigProperty(name = "quarkus.profile", defaultValue = "prod") String profile) {
        this.use = use;
        this.warmUps = warmUps;
        this.warmUpDigest = digest(warmUps.secret());
        this.profile = profile;
        this.store = store;
        this.clock = clock;
        add(config.adminToken(), "admin", Roles.ADMIN);
        add(config.viewerToken(), "viewer", Roles.VIEWER);
        add(config.ingestToken(), "ingest", Roles.INGEST);
    }

    /** A token set in configuration, by its name there and its role (never the token). */
    public record Configured(String name, String role) {
    }

    /** The tokens set in configuration, to be listed beside the managed ones. */
    public List<Configured> configured() {
        return known.stream().map(k -> new Configured(k.principal(), k.role())).toList();
    }

    private void add(Optional<String> token, String principal, String role) {
        token.filter(value -> !value.isBlank()).ifPresent(value -> {
            TokenStrength.problem(value).ifPresent(problem -> weak.add("rollgate.security." + principal
                    + "-token " + problem));
            known.add(new Known(digest(value), principal, role));
        });
    }

    /**
     * In production a placeholder or short configured token stops the start with a clear message: a
     * template's value must never silently become the live admin token. Elsewhere it is a warning. Checked before
     * anything else starts (the scheduler's jobs, the LISTEN connection), so a refused start logs its reason alone.
     */
    void reportOnStart(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE - 1) StartupEvent event) {
        if (!weak.isEmpty()) {
            String message = String.join("; ", weak) + ". Set a long random value (for example: openssl rand -hex 32)";
            if (LaunchMode.current() == LaunchMode.NORMAL && "prod".equals(profile)) {
                throw new IllegalStateException("Refusing to start with a weak token: " + message);
            }
            LOG.warnf("Weak token configuration (refused in production): %s", message);
        }
        if (known.stream().noneMatch(k -> k.role().equals(Roles.ADMIN))) {
            LOG.warn("No rollgate.security.admin-token is configured: the admin API refuses every request");
        }
    }

    @Override
    public Class<TokenAuthenticationRequest> getRequestType() {
        return TokenAuthenticationRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(TokenAuthenticationRequest request,
            AuthenticationRequestContext context) {
        String token = request.getToken().getToken();
        TokenSecrets.Parsed managed = TokenSecrets.parse(token);
        if (managed != null) {
            return store.find(managed.id())
                    .onFailure().recoverWithNull()
                    .map(found -> {
                        if (found == null || !found.usableAt(clock.instant())
                                || !TokenSecrets.matches(found, managed.secret())) {
                            throw new AuthenticationFailedException();
                        }
                        QuarkusSecurityIdentity.Builder identity = QuarkusSecurityIdentity.builder()
                                .setPrincipal(new QuarkusPrincipal("token:" + found.name()))
                                .addRole(found.role());
                        if (found.organizationId() != null) {
                            identity.addAttribute(Roles.ORGANIZATION_ATTRIBUTE, found.organizationId());
                        }
                        use.used(found.id().toString());
                        return identity.build();
                    });
        }
        byte[] presented = digest(token);
        Known match = null;
        for (Known candidate : known) {
            if (MessageDigest.isEqual(candidate.digest(), presented) && match == null) {
                match = candidate;
            }
        }
        if (match == null && MessageDigest.isEqual(warmUpDigest, presented) && isRehearsal(request)) {
            return Uni.createFrom().item(rehearsal);
        }
        if (match == null) {
            return Uni.createFrom().failure(new AuthenticationFailedException());
        }
        use.used(TokenUse.CONFIGURATION + match.principal());
        return Uni.createFrom().item(QuarkusSecurityIdentity.builder()
                .setPrincipal(new QuarkusPrincipal(match.principal()))
                .addRole(match.role())
                .build());
    }

    /**
     * The warm-up's own secret is an operator's token on one request only: its rehearsal of the emergency switch,
     * which is rolled back whatever it does ({@link WarmUpRequests#rehearsal}).
     */
    private boolean isRehearsal(TokenAuthenticationRequest request) {
        RoutingContext context = HttpSecurityUtils.getRoutingContextAttribute(request);
        return context != null && warmUps.rehearsal(context.request());
    }

    private static byte[] digest(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java runtime", e);
        }
    }
}
