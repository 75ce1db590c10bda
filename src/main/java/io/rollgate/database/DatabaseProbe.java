package io.rollgate.database;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
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
     * changes its endpoints, not the connections open to the old pod). So when the probe finds the database read-only
     * it sweeps the pool: connections opened afresh go through the endpoint to whatever is primary now, and the next
     * probe that finds one taking writes lets the service back in.
     */
    @Scheduled(every = "${rollgate.database.probe-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> probe() {
        return writable(pool)
                .ifNoItem().after(config.readTimeout()).fail()
                .chain(writable -> {
                    if (writable) {
                        database.markUp();
                        return Uni.createFrom().voidItem();
                    }
                    database.markDown(new ReadOnlyDatabaseException());
                    return sweep();
                })
                .onFailure().invoke(database::failed)
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }

    /**
     * Holds as many pooled connections as the pool has room for, all at once (one at a time, the pool would hand the
     * same idle connection back each time), ends every one that takes no writes, and gives the others back. The
     * next probe then finds the pool made of connections opened through the endpoint as it leads now.
     */
    private Uni<Void> sweep() {
        List<Uni<SqlConnection>> connections = new ArrayList<>();
        for (int i = 0; i < poolSize; i++) {
            // no timeout of our own: a connection acquired after it would never be given back (the pool's own wait,
            // rollgate.database.pool-wait, bounds this)
            connections.add(pool.getConnection().onFailure().recoverWithNull());
        }
        return Uni.join().all(connections).andCollectFailures()
                .chain(held -> Uni.join().all(held.stream().filter(Objects::nonNull).map(this::endIfReadOnly).toList())
                        .andCollectFailures())
                .replaceWithVoid();
    }

    /** Ends the session of a connection that takes no writes (the pool drops it); gives any connection back. */
    private Uni<Void> endIfReadOnly(SqlConnection connection) {
        return writable(connection)
                .chain(writable -> writable
                        ? Uni.createFrom().voidItem()
                        : connection.query("SELECT pg_terminate_backend(pg_backend_pid())").execute().replaceWithVoid())
                .onFailure().recoverWithNull()
                .eventually(connection::close)
                .replaceWithVoid();
    }

    private static Uni<Boolean> writable(SqlClient client) {
        return client.query(WRITABLE).execute().map(rows -> rows.iterator().next().getBoolean(0));
    }

    static final String WRITABLE = "SELECT NOT pg_is_in_recovery() AND current_setting('transaction_read_only') = 'off'";

    /** What the probe found: the server answers, and takes no writes. */
    static final class ReadOnlyDatabaseException extends RuntimeException {
        ReadOnlyDatabaseException() {
            super("the database answers but takes no writes (a standby, or read-only)", null, false, false);
        }
    }
}
