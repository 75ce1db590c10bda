package io.rollgate.tokens;

import io.rollgate.database.Change;
import io.rollgate.database.Newest;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.ObservesAsync;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Managed tokens in memory, so authenticating costs a map lookup and one hash. Reloaded on every token
 * change any replica or a person in SQL makes (the change feed tells), so a revocation applies
 * everywhere within a second; kept as they were while the database is unreachable.
 */
@ApplicationScoped
public class TokenStore {

    private static final Logger LOG = Logger.getLogger(TokenStore.class);

    private final TokenRepository repository;
    private final AtomicLong reloads = new AtomicLong();
    private final Newest<Map<UUID, ManagedToken>> installed = new Newest<>(Map.of());

    public TokenStore(TokenRepository repository) {
        this.repository = repository;
    }

    public Uni<ManagedToken> find(UUID id) {
        // what Newest holds, not a copy written after it: two reloads finishing together could otherwise leave the
        // older map in place after the newer one (a revoked token working again)
        if (installed.revision() >= 0) {
            return Uni.createFrom().item(installed.get().get(id));
        }
        return reload().map(loaded -> loaded.get(id));
    }

    /** Tokens changed, on any replica or in SQL (or everything is reloaded): revocations apply at once. */
    void onChange(@ObservesAsync Change change) {
        if (change.subject() == Change.Subject.TOKEN || change.subject() == Change.Subject.ALL) {
            reload().subscribe().with(ignored -> {
            }, e -> {
            });
        }
    }

    /** Reads every token; a read started before another that already installed its result is dropped. */
    public Uni<Map<UUID, ManagedToken>> reload() {
        long ticket = reloads.incrementAndGet();
        return repository.loadAll()
                .map(all -> all.stream().collect(Collectors.toUnmodifiableMap(ManagedToken::id, Function.identity())))
                .map(loaded -> installed.offer(loaded, ticket))
                .onFailure().invoke(e -> LOG.debug("Token reload failed; keeping the tokens known", e));
    }
}
