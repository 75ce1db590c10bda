package io.rollgate.database;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Lets a scheduled job run once per interval across every replica: the first replica to claim the
 * interval in job_runs runs it, the others skip. The row update also serializes simultaneous claims.
 * On the SQL client: one conditional upsert outside any aggregate.
 */
@ApplicationScoped
public class JobRuns {

    private static final Logger LOG = Logger.getLogger(JobRuns.class);

    private final Pool pool;
    private final Database database;

    public JobRuns(Pool pool, Database database) {
        this.pool = pool;
        this.database = database;
    }

    /**
     * The body of a scheduled job: skipped while the database is down, run by the one replica that claims
     * the interval ({@code elsewhere} runs on the others), failures logged and left to the next interval.
     */
    public Uni<Void> runOnce(String job, Duration interval, Supplier<Uni<?>> work, Supplier<Uni<?>> elsewhere) {
        if (!database.isUp()) {
            return Uni.createFrom().voidItem();
        }
        return claim(job, interval)
                .chain(claimed -> claimed ? work.get() : elsewhere.get())
                .replaceWithVoid()
                .onFailure().invoke(e -> LOG.warnf(e, "Scheduled job %s failed; the next interval retries", job))
                .onFailure().recoverWithNull();
    }

    /** True for exactly one caller per interval; a fifth of the interval is allowed for timer drift. */
    public Uni<Boolean> claim(String job, Duration interval) {
        Duration spacing = interval.minus(interval.dividedBy(5));
        return pool.preparedQuery("""
                INSERT INTO job_runs (job, last_run) VALUES ($1, now())
                ON CONFLICT (job) DO UPDATE SET last_run = now()
                WHERE job_runs.last_run <= now() - $2 * interval '1 millisecond'
                RETURNING job""")
                .execute(Tuple.of(job, spacing.toMillis()))
                .map(rows -> rows.rowCount() == 1);
    }
}
