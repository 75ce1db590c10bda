package io.rollgate.security;

import io.quarkus.scheduler.Scheduled;
import io.rollgate.ops.ChangeListener;
import io.rollgate.ops.Changes;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.ObservesAsync;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Managed tokens in memory, so authenticating costs a map lookup and one hash. Reloaded after every
 * change on this replica and every 30 s for changes made elsewhere; kept as they were while the
 * database is unreachable.
 */
@ApplicationScoped
public class TokenStore {

    private static final Logger LOG = Logger.getLogger(TokenStore.class);

    private final TokenRepository repository;
    private volatile Map<UUID, ManagedToken> tokens;

    public TokenStore(TokenRepository repository) {
        this.repository = repository;
    }

    public Uni<ManagedToken> find(UUID id) {
        Map<UUID, ManagedToken> known = tokens;
        if (known != null) {
            return Uni.createFrom().item(known.get(id));
        }
        return reload().map(loaded -> loaded.get(id));
    }

    /** Tokens changed on another replica (or the listener reconnected): revocations apply at once. */
    void onChange(@ObservesAsync ChangeListener.ChangeEvent change) {
        if (change.kind() == null || (change.kind() == Changes.Kind.TOKENS && !change.ownChange())) {
            reload().subscribe().with(ignored -> { }, e -> { });
        }
    }

    @Scheduled(every = "30s", delayed = "10s")
    Uni<Void> refresh() {
        return reload().onFailure().recoverWithNull().replaceWithVoid();
    }

    public Uni<Map<UUID, ManagedToken>> reload() {
        return repository.findAll()
                .map(all -> all.stream().collect(Collectors.toUnmodifiableMap(ManagedToken::id, Function.identity())))
                .invoke(loaded -> tokens = loaded)
                .onFailure().invoke(e -> LOG.debug("Token reload failed; keeping the tokens known", e));
    }
}
