package io.rollgate.database;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Asks PostgreSQL every few seconds whether it takes writes. While it is down the hot path does not try the
 * database at all (it serves last known good data); the first good answer lets it back in. On the SQL
 * client: it asks the pool itself, with no session to open.
 */
@ApplicationScoped
public class DatabaseProbe {

    private final Pool pool;
    private final Database database;
    private final DatabaseConfig config;
    private final int poolSize;

    public DatabaseProbe(Pool pool, Database database, DatabaseConfig config,
            @ConfigProperty(name = "quarkus.datasource.reactive.max-size", defaultValue = "20") int poolSize) {
        this.pool = pool;
        this.database = database;
        this.config = config;
        this.poolSize = Math.max(1, poolSize);
    }

    /**
     * Up means PostgreSQL answers and takes writes: after a failover the endpoint can lead to the old primary, back
     * as a standby, which answers every read and refuses every write; or an operator set the database read-only.
     * Until it takes writes again the service serves last known good data and the scheduled jobs wait.
     * <p>
     * A pooled connection opened before the switch still leads where the endpoint led then (a Kubernetes Service
     * changes its endpoints, not the connections open to the old pod). So a connection found read-only is ended, and
     * the next one is asked, up to the pool's size: connections opened afresh go through the endpoint to whatever is
     * primary now, and the first that takes writes lets the service back in.
     */
    @Scheduled(every = "${rollgate.database.probe-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> probe() {
        return probe(poolSize)
                .ifNoItem().after(config.readTimeout().multipliedBy(poolSize)).fail()
                .onFailure().invoke(database::failed)
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }

    /** Asks a pooled connection; one that takes no writes is ended and the next asked, {@code left} at most. */
    private Uni<Void> probe(int left) {
        return pool.withConnection(connection -> connection.query(WRITABLE).execute()
                .ifNoItem().after(config.readTimeout()).fail()
                .chain(rows -> {
                    if (rows.iterator().next().getBoolean(0)) {
                        database.markUp();
                        return Uni.createFrom().item(true);
                    }
                    database.markDown(new ReadOnlyDatabaseException());
                    // the server ends this session: the pool drops the connection and opens the next one afresh
                    return connection.query("SELECT pg_terminate_backend(pg_backend_pid())").execute()
                            .onFailure().recoverWithNull().replaceWith(false);
                }))
                .chain(writable -> writable || left <= 1 ? Uni.createFrom().voidItem() : probe(left - 1));
    }

    static final String WRITABLE = "SELECT NOT pg_is_in_recovery() AND current_setting('transaction_read_only') = 'off'";

    /** What the probe found: the server answers, and takes no writes. */
    static final class ReadOnlyDatabaseException extends RuntimeException {
        ReadOnlyDatabaseException() {
            super("the database answers but takes no writes (a standby, or read-only)", null, false, false);
        }
    }
}
