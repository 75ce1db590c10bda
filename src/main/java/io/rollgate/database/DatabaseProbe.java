package io.rollgate.database;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Asks PostgreSQL a trivial question every few seconds. While it is down the hot path does not try the
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

    @Scheduled(every = "${rollgate.database.probe-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> probe() {
        return pool.query("SELECT 1").execute()
                .ifNoItem().after(config.readTimeout()).fail()
                .invoke(database::markUp)
                .onFailure().invoke(database::failed)
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }
}
