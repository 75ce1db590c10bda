package io.rollgate.tokens;

import io.quarkus.scheduler.Scheduled;
import io.rollgate.database.Database;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * When each token was last used, so an operator can tell a token still in use from one to revoke. A request pays
 * one map write; the uses are written to the database about once a minute, by every replica, and what this
 * replica saw since is added when tokens are listed.
 */
@ApplicationScoped
public class TokenUse {

    private static final Logger LOG = Logger.getLogger(TokenUse.class);
    /** The key of a token set in configuration, by its name there (admin, viewer, ingest). */
    public static final String CONFIGURATION = "configuration:";

    private final Map<String, Instant> unwritten = new ConcurrentHashMap<>();
    private final TokenRepository repository;
    private final Database database;
    private final Clock clock;

    public TokenUse(TokenRepository repository, Database database, Clock clock) {
        this.repository = repository;
        this.database = database;
        this.clock = clock;
    }

    void used(String key) {
        unwritten.put(key, clock.instant());
    }

    /** The last use of every token, as stored and as this replica saw since. */
    public Uni<Map<String, Instant>> lastUses() {
        return repository.lastUses().map(stored -> {
            Map<String, Instant> all = new HashMap<>(stored);
            unwritten.forEach((key, at) -> all.merge(key, at, (a, b) -> a.isAfter(b) ? a : b));
            return all;
        });
    }

    /** Writes what was seen since the last time; kept for the next time when the database does not take it. */
    @Scheduled(every = "${rollgate.security.usage-write-interval}", delayed = "5s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> write() {
        if (unwritten.isEmpty() || !database.isUp()) {
            return Uni.createFrom().voidItem();
        }
        Map<String, Instant> batch = Map.copyOf(unwritten);
        // removed only if not used again meanwhile: a newer use stays for the next write
        batch.forEach(unwritten::remove);
        return repository.recordUses(batch)
                .onFailure().invoke(e -> {
                    batch.forEach((key, at) -> unwritten.merge(key, at, (a, b) -> a.isAfter(b) ? a : b));
                    LOG.debugf("Token uses not written yet: %s", e.getMessage());
                })
                .onFailure().recoverWithNull();
    }
}
