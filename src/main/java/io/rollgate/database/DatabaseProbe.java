package io.rollgate.database;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;

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

    public DatabaseProbe(Pool pool, Database database, DatabaseConfig config) {
        this.pool = pool;
        this.database = database;
        this.config = config;
    }

    /**
     * Up means PostgreSQL answers and takes writes: after a failover the endpoint can lead to the old primary, back
     * as a standby, which answers every read and refuses every write; or an operator set the database read-only.
     * Until it takes writes again the service serves last known good data and the scheduled jobs wait.
     */
    @Scheduled(every = "${rollgate.database.probe-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> probe() {
        return pool.query(WRITABLE).execute()
                .ifNoItem().after(config.readTimeout()).fail()
                .invoke(rows -> {
                    if (rows.iterator().next().getBoolean(0)) {
                        database.markUp();
                    } else {
                        database.markDown(new ReadOnlyDatabaseException());
                    }
                })
                .onFailure().invoke(database::failed)
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }

    static final String WRITABLE = "SELECT NOT pg_is_in_recovery() AND current_setting('transaction_read_only') = 'off'";

    /** What the probe found: the server answers, and takes no writes. */
    static final class ReadOnlyDatabaseException extends RuntimeException {
        ReadOnlyDatabaseException() {
            super("the database answers but takes no writes (a standby, or read-only)", null, false, false);
        }
    }
}
