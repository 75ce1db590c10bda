package io.rollgate.database;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The change log the change-capture migration writes: read back by a replica that missed notices (or heard a
 * truncated one), written for a change that is no table write, and pruned. On the SQL client: one aggregate read.
 */
@ApplicationScoped
public class ChangeLog {

    /** More keys than this of one subject in one revision are taken as every key of it. */
    static final int MAX_KEYS = 200_000;

    private final Pool pool;
    private final ChangesConfig config;

    public ChangeLog(Pool pool, ChangesConfig config) {
        this.pool = pool;
        this.config = config;
    }

    /** What was logged after {@code from} up to {@code upTo}: the first revision found (-1 for none) and its changes. */
    record Logged(long first, List<Change> changes) {
    }

    /** One change per revision and subject, its keys in one array, in revision order. */
    Uni<Logged> between(long from, long upTo) {
        return pool.preparedQuery("""
                SELECT revision, subject,
                       CASE WHEN count(*) > $3 THEN ARRAY['']::text[] ELSE array_agg(key) END AS keys
                FROM change_log WHERE revision > $1 AND revision <= $2
                GROUP BY revision, subject ORDER BY revision""")
                .execute(Tuple.of(from, upTo, MAX_KEYS))
                .map(rows -> {
                    List<Change> changes = new ArrayList<>();
                    long first = -1;
                    for (Row row : rows) {
                        first = first < 0 ? row.getLong("revision") : first;
                        Change.Subject subject = Change.Subject.fromDatabase(row.getString("subject"));
                        if (subject != null) {
                            changes.add(new Change(subject, Set.copyOf(Arrays.asList(row.getArrayOfStrings("keys"))),
                                    row.getLong("revision")));
                        }
                    }
                    return new Logged(first, changes);
                });
    }

    /**
     * Records a change that is no table write (an operator clearing caches) the same way the triggers record table
     * writes, so every replica hears it; answers its revision.
     */
    public Uni<Long> record(Change.Subject subject, String key) {
        return pool.preparedQuery("SELECT rollgate_record_change($1, $2) AS revision")
                .execute(Tuple.of(subject.name().toLowerCase(Locale.ROOT), key == null ? "" : key))
                .map(rows -> rows.iterator().next().getLong("revision"));
    }

    /** Change-log entries older than the retention go; the newest always stays, so catching up can tell a gap. */
    @Scheduled(every = "10m", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> prune() {
        return pool.preparedQuery("""
                DELETE FROM change_log WHERE changed_at < now() - $1 * interval '1 millisecond'
                AND revision < (SELECT revision FROM change_revision)""")
                .execute(Tuple.of(config.logRetention().toMillis()))
                .replaceWithVoid()
                .onFailure().recoverWithNull();
    }
}
